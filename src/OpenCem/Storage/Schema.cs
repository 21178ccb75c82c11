namespace OpenCem.Storage;

/// <summary>
/// The schema, one list of migrations for both databases. SQL is written once in the subset both speak;
/// <c>{id}</c> (SQLite's rowid alias versus a PostgreSQL identity column) and <c>{without_rowid}</c> (a SQLite
/// table clustered on its primary key) are the only words that differ.
/// Times are UTC milliseconds since the Unix epoch in BIGINT columns, so ordering and ranges are identical.
/// </summary>
internal static class Schema
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> Migrations =
    [
        (1, "workspaces, keys, customers, catalogue, interactions, rollups", """
            CREATE TABLE workspaces (
                id {id},
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE TABLE workspace_settings (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (workspace_id, name)
            );
            CREATE TABLE workspace_counters (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                value BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, name)
            );
            CREATE TABLE api_keys (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                prefix TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT NULL
            );
            CREATE TABLE customers (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                traits TEXT NULL
            );
            CREATE INDEX ix_customers_workspace ON customers (workspace_id, id);
            CREATE TABLE customer_identities (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                customer_id BIGINT NOT NULL REFERENCES customers (id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, kind, value)
            );
            CREATE INDEX ix_customer_identities_customer ON customer_identities (customer_id);
            CREATE TABLE journeys (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT NULL,
                stages TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            );
            CREATE TABLE touchpoints (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                channel TEXT NOT NULL,
                journey_key TEXT NULL,
                stage TEXT NULL,
                events TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (workspace_id, key)
            );
            CREATE TABLE interactions (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                message_id TEXT NOT NULL,
                client_ts BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                type TEXT NOT NULL,
                event TEXT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                touchpoint_id BIGINT NULL,
                channel TEXT NULL,
                journey_key TEXT NULL,
                stage TEXT NULL,
                outcome TEXT NULL,
                effort DOUBLE PRECISION NULL,
                revenue DOUBLE PRECISION NULL,
                cost DOUBLE PRECISION NULL,
                properties TEXT NULL,
                context TEXT NULL
            );
            CREATE UNIQUE INDEX ux_interactions_message ON interactions (workspace_id, client_ts, message_id);
            CREATE INDEX ix_interactions_time ON interactions (workspace_id, occurred_at, id);
            CREATE INDEX ix_interactions_customer ON interactions (workspace_id, customer_id, occurred_at, id);
            CREATE TABLE interaction_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                day BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                outcome TEXT NOT NULL,
                interactions BIGINT NOT NULL,
                effort_sum DOUBLE PRECISION NOT NULL,
                effort_count BIGINT NOT NULL,
                revenue_sum DOUBLE PRECISION NOT NULL,
                cost_sum DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, day, touchpoint_id, channel, outcome)
            );
            """),
        (2, "source records, identity resolution, erasure", """
            CREATE TABLE source_records (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                source TEXT NOT NULL,
                record_key TEXT NOT NULL,
                customer_id BIGINT NOT NULL,
                identifiers TEXT NOT NULL,
                traits TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (workspace_id, source, record_key)
            );
            CREATE INDEX ix_source_records_customer ON source_records (workspace_id, customer_id);
            CREATE TABLE record_identifiers (
                workspace_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                record_id BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, kind, value, record_id)
            ){without_rowid};
            CREATE TABLE identity_splits (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                record_a BIGINT NOT NULL,
                record_b BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, record_a, record_b)
            );
            CREATE TABLE identity_tombstones (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                value_hash TEXT NOT NULL,
                customer_id BIGINT NOT NULL,
                erased_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, kind, value_hash)
            );
            CREATE TABLE customer_redirects (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                old_customer_id BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                merged_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, old_customer_id)
            );
            ALTER TABLE customers ADD COLUMN search_name TEXT NULL;
            ALTER TABLE customers ADD COLUMN trait_sources TEXT NULL;
            ALTER TABLE customers ADD COLUMN erased_at BIGINT NULL;
            CREATE TABLE tracking_identities (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                customer_id BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (workspace_id, kind, value)
            );
            INSERT INTO tracking_identities (workspace_id, kind, value, customer_id, created_at)
                SELECT workspace_id, kind, value, customer_id, created_at FROM customer_identities ORDER BY customer_id, kind DESC;
            DROP TABLE customer_identities;
            ALTER TABLE tracking_identities RENAME TO customer_identities;
            CREATE INDEX ix_customer_identities_customer ON customer_identities (customer_id);
            ALTER TABLE interactions ADD COLUMN identity_id BIGINT NULL;
            UPDATE interactions SET identity_id = (
                SELECT min(i.id) FROM customer_identities i WHERE i.customer_id = interactions.customer_id);
            """),
        (3, "surveys, invitations, responses, signals, cases", """
            CREATE TABLE surveys (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                settings TEXT NOT NULL,
                audience TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT NULL
            );
            CREATE INDEX ix_surveys_workspace ON surveys (workspace_id, id);
            CREATE TABLE survey_invitations (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                survey_id BIGINT NOT NULL,
                customer_id BIGINT NULL,
                channel TEXT NOT NULL,
                address TEXT NULL,
                language TEXT NULL,
                interaction_id BIGINT NULL,
                touchpoint_id BIGINT NULL,
                status TEXT NOT NULL,
                suppressed_reason TEXT NULL,
                nonce TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                send_at BIGINT NULL,
                sent_at BIGINT NULL,
                reminders INTEGER NOT NULL,
                reminded_at BIGINT NULL,
                opened_at BIGINT NULL,
                completed_at BIGINT NULL,
                error TEXT NULL
            );
            CREATE INDEX ix_survey_invitations_customer ON survey_invitations (workspace_id, customer_id, created_at);
            CREATE INDEX ix_survey_invitations_survey ON survey_invitations (workspace_id, survey_id, id);
            CREATE INDEX ix_survey_invitations_due ON survey_invitations (status, send_at);
            CREATE TABLE survey_responses (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                survey_id BIGINT NOT NULL,
                invitation_id BIGINT NULL,
                customer_id BIGINT NULL,
                interaction_id BIGINT NULL,
                touchpoint_id BIGINT NULL,
                channel TEXT NULL,
                language TEXT NULL,
                source TEXT NOT NULL,
                external_id TEXT NULL,
                status TEXT NOT NULL,
                answers TEXT NOT NULL,
                nps INTEGER NULL,
                csat INTEGER NULL,
                ces INTEGER NULL,
                overall DOUBLE PRECISION NULL,
                comment TEXT NULL,
                submitted_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX ux_survey_responses_invitation ON survey_responses (workspace_id, invitation_id);
            CREATE UNIQUE INDEX ux_survey_responses_external ON survey_responses (workspace_id, survey_id, external_id);
            CREATE INDEX ix_survey_responses_survey ON survey_responses (workspace_id, survey_id, id);
            CREATE INDEX ix_survey_responses_customer ON survey_responses (workspace_id, customer_id, submitted_at);
            CREATE TABLE survey_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                survey_id BIGINT NOT NULL,
                day BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                language TEXT NOT NULL,
                responses BIGINT NOT NULL,
                nps_n BIGINT NOT NULL,
                promoters BIGINT NOT NULL,
                detractors BIGINT NOT NULL,
                csat_n BIGINT NOT NULL,
                csat_top_two BIGINT NOT NULL,
                csat_sum DOUBLE PRECISION NOT NULL,
                csat_sum_squares DOUBLE PRECISION NOT NULL,
                ces_n BIGINT NOT NULL,
                ces_sum DOUBLE PRECISION NOT NULL,
                ces_sum_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, day, touchpoint_id, channel, language)
            );
            CREATE TABLE survey_stats (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                survey_id BIGINT NOT NULL,
                name TEXT NOT NULL,
                value BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, name)
            );
            CREATE TABLE signals (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                source TEXT NOT NULL,
                external_id TEXT NULL,
                customer_id BIGINT NULL,
                text TEXT NOT NULL,
                title TEXT NULL,
                rating DOUBLE PRECISION NULL,
                rating_max DOUBLE PRECISION NULL,
                url TEXT NULL,
                language TEXT NULL,
                touchpoint_id BIGINT NULL,
                properties TEXT NULL,
                occurred_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX ux_signals_external ON signals (workspace_id, source, external_id);
            CREATE INDEX ix_signals_time ON signals (workspace_id, occurred_at, id);
            CREATE INDEX ix_signals_customer ON signals (workspace_id, customer_id, occurred_at);
            CREATE TABLE cases (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NULL,
                title TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                closed_at BIGINT NULL
            );
            CREATE INDEX ix_cases_customer ON cases (workspace_id, customer_id, status);
            """),
        (4, "invitation delivery: attempts, reminder schedule, invitations by interaction", """
            ALTER TABLE survey_invitations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE survey_invitations ADD COLUMN remind_at BIGINT NULL;
            CREATE INDEX ix_survey_invitations_remind ON survey_invitations (status, remind_at);
            CREATE INDEX ix_survey_invitations_interaction ON survey_invitations (workspace_id, interaction_id) WHERE interaction_id IS NOT NULL;
            """),
        (5, "text analytics: results per comment and signal, theme mentions, trained sentiment models, taxonomy, analysis progress, theme rollup, suggested themes", """
            CREATE TABLE text_analyses (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                item_kind TEXT NOT NULL,
                item_id BIGINT NOT NULL,
                language TEXT NOT NULL,
                sentiment DOUBLE PRECISION NOT NULL,
                label TEXT NOT NULL,
                emotions TEXT NOT NULL,
                themes TEXT NOT NULL,
                truncated INTEGER NOT NULL,
                version TEXT NOT NULL,
                analyzed_at BIGINT NOT NULL,
                day BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                nps INTEGER NULL,
                csat INTEGER NULL,
                PRIMARY KEY (workspace_id, item_kind, item_id)
            ){without_rowid};
            CREATE TABLE text_theme_mentions (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                item_kind TEXT NOT NULL,
                item_id BIGINT NOT NULL,
                theme_key TEXT NOT NULL,
                sentiment DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, item_kind, item_id, theme_key)
            ){without_rowid};
            CREATE INDEX ix_text_theme_mentions_theme ON text_theme_mentions (workspace_id, theme_key);
            CREATE TABLE text_models (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                version TEXT NOT NULL,
                model TEXT NOT NULL,
                evaluation TEXT NOT NULL,
                active INTEGER NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_text_models_workspace ON text_models (workspace_id, active, id);
            CREATE TABLE text_themes (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                parent TEXT NULL,
                names TEXT NOT NULL,
                keywords TEXT NOT NULL,
                position BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, key)
            ){without_rowid};
            CREATE TABLE text_progress (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                item_kind TEXT NOT NULL,
                version TEXT NOT NULL,
                after_id BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, item_kind)
            ){without_rowid};
            CREATE TABLE text_pending (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                item_kind TEXT NOT NULL,
                item_id BIGINT NOT NULL,
                since BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, item_kind, item_id)
            ){without_rowid};
            CREATE TABLE text_theme_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                day BIGINT NOT NULL,
                item_kind TEXT NOT NULL,
                survey_id BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                theme_key TEXT NOT NULL,
                items BIGINT NOT NULL,
                sentiment_sum DOUBLE PRECISION NOT NULL,
                positive BIGINT NOT NULL,
                negative BIGINT NOT NULL,
                nps_n BIGINT NOT NULL,
                nps_sum DOUBLE PRECISION NOT NULL,
                nps_sum_squares DOUBLE PRECISION NOT NULL,
                promoters BIGINT NOT NULL,
                detractors BIGINT NOT NULL,
                csat_n BIGINT NOT NULL,
                csat_sum DOUBLE PRECISION NOT NULL,
                csat_sum_squares DOUBLE PRECISION NOT NULL,
                csat_top_two BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, day, item_kind, survey_id, touchpoint_id, theme_key)
            ){without_rowid};
            CREATE TABLE text_suggestions (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                rank INTEGER NOT NULL,
                phrase TEXT NOT NULL,
                language TEXT NOT NULL,
                count BIGINT NOT NULL,
                examples TEXT NOT NULL,
                computed_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, rank)
            ){without_rowid};
            """),
        (6, "metrics rollups: answer counts per day (and month) by survey, question, touchpoint, channel, segment and score", """
            CREATE TABLE metric_segments (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                UNIQUE (workspace_id, key)
            );
            CREATE TABLE metric_daily (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                segment_id BIGINT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score)
            ){without_rowid};
            CREATE TABLE metric_daily_touchpoints (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                segment_id BIGINT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score)
            ){without_rowid};
            CREATE TABLE metric_monthly (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                segment_id BIGINT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score)
            ){without_rowid};
            CREATE TABLE metric_monthly_touchpoints (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                segment_id BIGINT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score)
            ){without_rowid};
            CREATE TABLE metric_monthly_segments (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                segment_id BIGINT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score)
            ){without_rowid};
            CREATE TABLE metric_daily_dimensions (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                dimension TEXT NOT NULL,
                value TEXT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, dimension, period, value, score)
            ){without_rowid};
            CREATE TABLE metric_monthly_dimensions (
                workspace_id BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                question TEXT NOT NULL,
                period BIGINT NOT NULL,
                dimension TEXT NOT NULL,
                value TEXT NOT NULL,
                score BIGINT NOT NULL,
                n BIGINT NOT NULL,
                total DOUBLE PRECISION NOT NULL,
                total_squares DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, survey_id, question, dimension, period, value, score)
            ){without_rowid};
            INSERT INTO workspace_settings (workspace_id, name, value)
                SELECT DISTINCT workspace_id, 'metrics_rebuild', 'pending' FROM survey_responses;
            """),
        (7, "journey analytics: journey instances and their daily rollups; the loyalty ladder per customer and month", """
            CREATE TABLE journey_instances (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                journey_key TEXT NOT NULL,
                customer_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                last_at BIGINT NOT NULL,
                ended INTEGER NOT NULL,
                latest INTEGER NOT NULL,
                path TEXT NOT NULL,
                times TEXT NOT NULL
            );
            CREATE INDEX ix_journey_instances_customer ON journey_instances (workspace_id, customer_id, journey_key);
            CREATE INDEX ix_journey_instances_latest ON journey_instances (workspace_id, customer_id) WHERE latest = 1;
            CREATE INDEX ix_journey_instances_started ON journey_instances (workspace_id, journey_key, started_at);
            CREATE INDEX ix_journey_instances_open ON journey_instances (workspace_id, last_at) WHERE ended = 0;
            CREATE TABLE journey_stage_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                journey_key TEXT NOT NULL,
                day BIGINT NOT NULL,
                channel TEXT NOT NULL,
                stage TEXT NOT NULL,
                entered BIGINT NOT NULL,
                converted BIGINT NOT NULL,
                dropped BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, journey_key, day, channel, stage)
            );
            CREATE TABLE journey_wait_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                journey_key TEXT NOT NULL,
                day BIGINT NOT NULL,
                channel TEXT NOT NULL,
                stage TEXT NOT NULL,
                bucket INTEGER NOT NULL,
                instances BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, journey_key, day, channel, stage, bucket)
            );
            CREATE TABLE journey_path_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                journey_key TEXT NOT NULL,
                day BIGINT NOT NULL,
                channel TEXT NOT NULL,
                path TEXT NOT NULL,
                instances BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, journey_key, day, channel, path)
            );
            CREATE INDEX ix_survey_responses_touchpoint ON survey_responses (workspace_id, touchpoint_id, submitted_at);
            CREATE INDEX ix_signals_touchpoint ON signals (workspace_id, touchpoint_id, occurred_at);
            CREATE TABLE ladder_states (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                month BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                nps_rung TEXT NOT NULL,
                nps_at BIGINT NOT NULL,
                rung TEXT NOT NULL,
                PRIMARY KEY (workspace_id, month, customer_id)
            );
            CREATE TABLE ladder_counts (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                span TEXT NOT NULL,
                group_by TEXT NOT NULL,
                grp TEXT NOT NULL,
                period BIGINT NOT NULL,
                ladder TEXT NOT NULL,
                from_rung TEXT NOT NULL,
                rung TEXT NOT NULL,
                customers BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, span, group_by, period, grp, ladder, from_rung, rung)
            );
            """),
        (8, "closed loop and value foundation: the event outbox, cases opened once per source, customer value and risk", """
            CREATE TABLE events (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                type TEXT NOT NULL,
                customer_id BIGINT NULL,
                subject_id BIGINT NULL,
                payload TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_events_workspace ON events (workspace_id, id);
            CREATE INDEX ix_events_type ON events (workspace_id, type, occurred_at);
            CREATE TABLE outbox_cursors (
                reader TEXT NOT NULL PRIMARY KEY,
                position BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            ALTER TABLE cases ADD COLUMN source_key TEXT NULL;
            ALTER TABLE cases ADD COLUMN reason TEXT NULL;
            ALTER TABLE cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
            ALTER TABLE cases ADD COLUMN team TEXT NULL;
            ALTER TABLE cases ADD COLUMN owner TEXT NULL;
            ALTER TABLE cases ADD COLUMN response_id BIGINT NULL;
            ALTER TABLE cases ADD COLUMN interaction_id BIGINT NULL;
            ALTER TABLE cases ADD COLUMN touchpoint_id BIGINT NULL;
            ALTER TABLE cases ADD COLUMN rule_id BIGINT NULL;
            ALTER TABLE cases ADD COLUMN sla_due_at BIGINT NULL;
            CREATE UNIQUE INDEX ux_cases_source ON cases (workspace_id, source_key) WHERE source_key IS NOT NULL;
            CREATE TABLE customer_values (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NOT NULL,
                clv DOUBLE PRECISION NULL,
                p_alive DOUBLE PRECISION NULL,
                expected_purchases DOUBLE PRECISION NULL,
                clv_fit_id BIGINT NULL,
                churn_risk DOUBLE PRECISION NULL,
                churn_reasons TEXT NULL,
                churn_model_id BIGINT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, customer_id)
            );
            """),
        (9, "rules: definitions with their failure and pause state, firings once per rule and source, help offers, notifications, customer tags", """
            CREATE TABLE rules (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                trigger_type TEXT NOT NULL,
                schedule TEXT NULL,
                condition TEXT NULL,
                actions TEXT NOT NULL,
                cooldown_minutes INTEGER NULL,
                start_event_id BIGINT NOT NULL,
                start_interaction_id BIGINT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                last_error_at BIGINT NULL,
                paused_at BIGINT NULL,
                last_scheduled_at BIGINT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT NULL
            );
            CREATE INDEX ix_rules_workspace ON rules (workspace_id, id);
            CREATE TABLE rule_firings (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                rule_id BIGINT NOT NULL,
                source_kind TEXT NOT NULL,
                source_id BIGINT NOT NULL,
                customer_id BIGINT NULL,
                fired_at BIGINT NOT NULL,
                actions TEXT NOT NULL,
                UNIQUE (rule_id, source_kind, source_id)
            );
            CREATE INDEX ix_rule_firings_customer ON rule_firings (rule_id, customer_id, fired_at);
            CREATE TABLE help_offers (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NOT NULL,
                channel TEXT NOT NULL,
                message TEXT NOT NULL,
                rule_id BIGINT NULL,
                touchpoint_id BIGINT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NULL,
                fetched_at BIGINT NULL
            );
            CREATE INDEX ix_help_offers_customer ON help_offers (workspace_id, customer_id, channel, id);
            CREATE TABLE notifications (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                rule_id BIGINT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                sent_at BIGINT NULL,
                error TEXT NULL
            );
            CREATE INDEX ix_notifications_due ON notifications (status, next_attempt_at);
            CREATE TABLE customer_tags (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NOT NULL,
                tag TEXT NOT NULL,
                rule_id BIGINT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, customer_id, tag)
            );
            """),
        (10, "case work: SLA clocks, breach and escalation, outcome and measured recovery, notes, audit trail, links, teams, agents, SLA policies, business-hours calendars, the recovery rollup", """
            ALTER TABLE cases ADD COLUMN first_response_due_at BIGINT NULL;
            ALTER TABLE cases ADD COLUMN first_response_at BIGINT NULL;
            ALTER TABLE cases ADD COLUMN next_due_at BIGINT NULL;
            ALTER TABLE cases ADD COLUMN breached_at BIGINT NULL;
            ALTER TABLE cases ADD COLUMN breach TEXT NULL;
            ALTER TABLE cases ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE cases ADD COLUMN resolved_at BIGINT NULL;
            ALTER TABLE cases ADD COLUMN outcome TEXT NULL;
            ALTER TABLE cases ADD COLUMN outcome_note TEXT NULL;
            ALTER TABLE cases ADD COLUMN resolution_reason TEXT NULL;
            ALTER TABLE cases ADD COLUMN recovery TEXT NULL;
            ALTER TABLE cases ADD COLUMN recovery_measured_at BIGINT NULL;
            ALTER TABLE cases ADD COLUMN skill TEXT NULL;
            CREATE INDEX ix_cases_due ON cases (next_due_at) WHERE breached_at IS NULL AND next_due_at IS NOT NULL;
            CREATE INDEX ix_cases_recovery ON cases (closed_at) WHERE status = 'closed' AND recovery IS NULL;
            CREATE INDEX ix_cases_list ON cases (workspace_id, id);
            CREATE INDEX ix_cases_owner ON cases (workspace_id, owner, status);
            CREATE TABLE case_notes (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                case_id BIGINT NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_case_notes_case ON case_notes (workspace_id, case_id, id);
            CREATE TABLE case_audit (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                case_id BIGINT NOT NULL,
                actor TEXT NOT NULL,
                field TEXT NOT NULL,
                from_value TEXT NULL,
                to_value TEXT NULL,
                at BIGINT NOT NULL
            );
            CREATE INDEX ix_case_audit_case ON case_audit (workspace_id, case_id, id);
            CREATE TABLE case_links (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                case_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                target_id BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, case_id, kind, target_id)
            ){without_rowid};
            CREATE TABLE case_calendars (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                hours TEXT NOT NULL,
                holidays TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, key)
            );
            CREATE TABLE case_teams (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                calendar TEXT NULL,
                lead TEXT NULL,
                escalation_team TEXT NULL,
                assignment TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, key)
            );
            CREATE TABLE case_agents (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                team TEXT NOT NULL,
                skills TEXT NOT NULL,
                capacity INTEGER NOT NULL,
                active INTEGER NOT NULL,
                last_assigned_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, key)
            );
            CREATE INDEX ix_case_agents_team ON case_agents (workspace_id, team);
            CREATE TABLE case_sla_policies (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                priority TEXT NOT NULL,
                team TEXT NOT NULL,
                first_response_minutes INTEGER NOT NULL,
                resolution_minutes INTEGER NOT NULL,
                calendar TEXT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, priority, team)
            );
            CREATE TABLE case_recovery_rollup (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                dimension TEXT NOT NULL,
                grp TEXT NOT NULL,
                closed BIGINT NOT NULL,
                measured BIGINT NOT NULL,
                recovered BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, dimension, grp)
            );
            CREATE TABLE case_duration_histogram (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                dimension TEXT NOT NULL,
                grp TEXT NOT NULL,
                measure TEXT NOT NULL,
                bucket INTEGER NOT NULL,
                n BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, dimension, grp, measure, bucket)
            );
            """),
        (11, "webhooks: subscriptions, deliveries once per webhook and event, and their attempts", """
            CREATE TABLE webhooks (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                url TEXT NOT NULL,
                description TEXT NULL,
                event_types TEXT NOT NULL,
                secret TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_webhooks_workspace ON webhooks (workspace_id, id);
            CREATE TABLE webhook_deliveries (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
                event_id BIGINT NOT NULL,
                event_type TEXT NOT NULL,
                message_id TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                lease_owner TEXT NULL,
                lease_until BIGINT NULL,
                last_status_code INTEGER NULL,
                last_error TEXT NULL,
                last_duration_ms BIGINT NULL,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT NULL,
                UNIQUE (webhook_id, event_id)
            );
            CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
            CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, status, id);
            CREATE TABLE webhook_attempts (
                delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                started_at BIGINT NOT NULL,
                status_code INTEGER NULL,
                error TEXT NULL,
                duration_ms BIGINT NOT NULL,
                PRIMARY KEY (delivery_id, attempt)
            );
            """),
        (12, "lifetime value: purchase transactions, versioned CLV fits", """
            CREATE TABLE transactions (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NOT NULL,
                occurred_at BIGINT NOT NULL,
                amount DOUBLE PRECISION NOT NULL,
                source TEXT NOT NULL,
                external_key TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX ux_transactions_key ON transactions (workspace_id, external_key);
            CREATE INDEX ix_transactions_customer ON transactions (workspace_id, customer_id, occurred_at);
            CREATE INDEX ix_interactions_revenue ON interactions (workspace_id, occurred_at) WHERE revenue > 0;
            CREATE TABLE clv_fits (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                status TEXT NOT NULL,
                progress DOUBLE PRECISION NOT NULL,
                request TEXT NOT NULL,
                result TEXT NULL,
                error TEXT NULL,
                error_field TEXT NULL,
                created_at BIGINT NOT NULL,
                started_at BIGINT NULL,
                finished_at BIGINT NULL
            );
            CREATE INDEX ix_clv_fits_workspace ON clv_fits (workspace_id, status, id);
            """),
        (13, "churn models (versioned, with their evaluation and serialised model) and each scored customer's segment facts and poor experiences", """
            CREATE TABLE churn_models (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                status TEXT NOT NULL,
                progress DOUBLE PRECISION NOT NULL,
                label TEXT NOT NULL,
                exclude TEXT NOT NULL,
                metrics TEXT NULL,
                features TEXT NULL,
                model TEXT NULL,
                error TEXT NULL,
                created_at BIGINT NOT NULL,
                finished_at BIGINT NULL
            );
            CREATE INDEX ix_churn_models_workspace ON churn_models (workspace_id, status, id);
            CREATE TABLE churn_customers (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NOT NULL,
                model_id BIGINT NOT NULL,
                lifecycle TEXT NOT NULL,
                tenure_band TEXT NOT NULL,
                poor_touchpoints TEXT NOT NULL,
                PRIMARY KEY (workspace_id, customer_id)
            );
            """),
        (14, "dashboard users: e-mail sign-in per workspace, role, team, personal-data override, language, password hash, lockout", """
            CREATE TABLE users (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                email TEXT NOT NULL,
                normalized_email TEXT NOT NULL,
                role TEXT NOT NULL,
                team TEXT NULL,
                personal_data TEXT NULL,
                language TEXT NULL,
                password_hash TEXT NULL,
                security_stamp TEXT NOT NULL,
                access_failed_count BIGINT NOT NULL,
                lockout_end BIGINT NULL,
                external_subject TEXT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE UNIQUE INDEX ux_users_email ON users (workspace_id, normalized_email);
            """),
        (15, "Customer Care Concept Index: assessments, their assessors, ratings per criterion and assessor, targets per element", """
            CREATE TABLE assessments (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                assessed_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                notes TEXT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX ix_assessments_workspace ON assessments (workspace_id, assessed_at, id);
            CREATE TABLE assessment_assessors (
                assessment_id BIGINT NOT NULL REFERENCES assessments (id),
                assessor TEXT NOT NULL,
                role TEXT NULL,
                added_at BIGINT NOT NULL,
                PRIMARY KEY (assessment_id, assessor)
            );
            CREATE TABLE assessment_ratings (
                assessment_id BIGINT NOT NULL REFERENCES assessments (id),
                criterion TEXT NOT NULL,
                assessor TEXT NOT NULL,
                rating INTEGER NOT NULL,
                evidence TEXT NULL,
                rated_at BIGINT NOT NULL,
                PRIMARY KEY (assessment_id, criterion, assessor)
            );
            CREATE TABLE assessment_targets (
                assessment_id BIGINT NOT NULL REFERENCES assessments (id),
                element TEXT NOT NULL,
                target DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (assessment_id, element)
            );
            """),
        (16, "improvement initiatives: phases and their history, work packages, target KPIs with their baselines", """
            CREATE TABLE initiatives (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                description TEXT NULL,
                owner TEXT NULL,
                element TEXT NULL,
                phase TEXT NOT NULL,
                phase_since BIGINT NOT NULL,
                before_days INTEGER NOT NULL,
                lag_days INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX ix_initiatives_workspace ON initiatives (workspace_id, id);
            CREATE TABLE initiative_phases (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
                from_phase TEXT NULL,
                to_phase TEXT NOT NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT NULL
            );
            CREATE INDEX ix_initiative_phases_initiative ON initiative_phases (workspace_id, initiative_id, id);
            CREATE TABLE initiative_packages (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                due_at BIGINT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX ix_initiative_packages_initiative ON initiative_packages (workspace_id, initiative_id, id);
            CREATE TABLE initiative_kpis (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                measure TEXT NULL,
                survey_id BIGINT NULL,
                question TEXT NULL,
                touchpoints TEXT NOT NULL,
                team TEXT NULL,
                direction TEXT NOT NULL,
                target DOUBLE PRECISION NULL,
                comparison TEXT NULL,
                baseline_value DOUBLE PRECISION NULL,
                baseline_n BIGINT NULL,
                baseline_from BIGINT NULL,
                baseline_to BIGINT NULL,
                baseline_at BIGINT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX ix_initiative_kpis_initiative ON initiative_kpis (workspace_id, initiative_id, id);
            """),
        (17, "personas: versioned clustering runs, their personas with generated profiles, each customer's assignment", """
            CREATE TABLE persona_runs (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                status TEXT NOT NULL,
                k INTEGER NULL,
                seed INTEGER NOT NULL,
                customers BIGINT NOT NULL,
                silhouette DOUBLE PRECISION NULL,
                scaling TEXT NULL,
                error TEXT NULL,
                created_at BIGINT NOT NULL,
                finished_at BIGINT NULL,
                published_at BIGINT NULL
            );
            CREATE INDEX ix_persona_runs_workspace ON persona_runs (workspace_id, id);
            CREATE TABLE personas (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                run_id BIGINT NOT NULL,
                number INTEGER NOT NULL,
                size BIGINT NOT NULL,
                profile TEXT NOT NULL,
                UNIQUE (run_id, number)
            );
            CREATE TABLE persona_assignments (
                run_id BIGINT NOT NULL,
                customer_id BIGINT NOT NULL,
                number INTEGER NOT NULL,
                distance DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (run_id, customer_id)
            ){without_rowid};
            """),
        (18, "experiential modules and brand experience: modules and descriptive words per analysed item, their daily rollups, brand values", """
            CREATE TABLE text_experiences (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                item_kind TEXT NOT NULL,
                item_id BIGINT NOT NULL,
                day BIGINT NOT NULL,
                survey_id BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                sentiment DOUBLE PRECISION NOT NULL,
                modules TEXT NOT NULL,
                descriptors TEXT NOT NULL,
                PRIMARY KEY (workspace_id, item_kind, item_id)
            ){without_rowid};
            CREATE TABLE text_experience_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                day BIGINT NOT NULL,
                item_kind TEXT NOT NULL,
                survey_id BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                module TEXT NOT NULL,
                items BIGINT NOT NULL,
                sentiment_sum DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (workspace_id, day, item_kind, survey_id, touchpoint_id, module)
            ){without_rowid};
            CREATE TABLE text_descriptor_daily (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                day BIGINT NOT NULL,
                item_kind TEXT NOT NULL,
                survey_id BIGINT NOT NULL,
                touchpoint_id BIGINT NOT NULL,
                term TEXT NOT NULL,
                affirmed BIGINT NOT NULL,
                negated BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, day, item_kind, survey_id, touchpoint_id, term)
            ){without_rowid};
            CREATE TABLE brand_values (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                key TEXT NOT NULL,
                position BIGINT NOT NULL,
                names TEXT NOT NULL,
                description TEXT NOT NULL,
                words TEXT NOT NULL,
                opposites TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (workspace_id, key)
            ){without_rowid};
            """),
        (19, "customer ideas: ideas with status, moderation, themes and linked case; one vote per customer per idea; comments; status history; advocate invitations", """
            CREATE TABLE ideas (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                language TEXT NULL,
                status TEXT NOT NULL,
                moderation TEXT NOT NULL,
                spam_reasons TEXT NULL,
                answer TEXT NULL,
                themes TEXT NOT NULL,
                sentiment DOUBLE PRECISION NULL,
                case_id BIGINT NULL,
                votes BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                status_at BIGINT NOT NULL
            );
            CREATE INDEX ix_ideas_board ON ideas (workspace_id, moderation, status, votes);
            CREATE INDEX ix_ideas_author ON ideas (workspace_id, customer_id, created_at);
            CREATE TABLE idea_votes (
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
                customer_id BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (idea_id, customer_id)
            ){without_rowid};
            CREATE INDEX ix_idea_votes_customer ON idea_votes (workspace_id, customer_id);
            CREATE TABLE idea_comments (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
                customer_id BIGINT NULL,
                staff TEXT NULL,
                body TEXT NOT NULL,
                moderation TEXT NOT NULL,
                spam_reasons TEXT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_idea_comments_idea ON idea_comments (idea_id, id);
            CREATE INDEX ix_idea_comments_customer ON idea_comments (workspace_id, customer_id, created_at);
            CREATE TABLE idea_status_changes (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
                from_status TEXT NULL,
                to_status TEXT NOT NULL,
                answer TEXT NULL,
                actor TEXT NOT NULL,
                at BIGINT NOT NULL
            );
            CREATE INDEX ix_idea_status_changes_idea ON idea_status_changes (idea_id, at);
            CREATE TABLE advocate_invitations (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                customer_id BIGINT NOT NULL,
                programme TEXT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT NULL,
                notification_id BIGINT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_advocate_invitations_customer ON advocate_invitations (workspace_id, customer_id, created_at);
            """),
        (20, "webhook secrets rotate with a grace period in which the previous one still signs; SLA policies escalate in levels after the breach", """
            ALTER TABLE webhooks ADD COLUMN previous_secret TEXT NULL;
            ALTER TABLE webhooks ADD COLUMN previous_secret_until BIGINT NULL;
            ALTER TABLE case_sla_policies ADD COLUMN escalations TEXT NULL;
            ALTER TABLE cases ADD COLUMN escalation_plan TEXT NULL;
            ALTER TABLE cases ADD COLUMN next_escalation_at BIGINT NULL;
            CREATE INDEX ix_cases_escalation ON cases (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
            """),
        (21, "personal links for employee pulses: the group attributes each link answers with and whether it was used, nothing that names the employee or the response", """
            CREATE TABLE employee_links (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                survey_id BIGINT NOT NULL,
                attributes TEXT NOT NULL,
                used INTEGER NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_employee_links_survey ON employee_links (workspace_id, survey_id, id);
            """),
        (22, "case SLA clocks pause while a case waits for the customer; rules cool down per customer or as a whole", """
            ALTER TABLE cases ADD COLUMN sla_paused_at BIGINT NULL;
            ALTER TABLE rules ADD COLUMN cooldown_scope TEXT NULL;
            CREATE INDEX ix_rule_firings_time ON rule_firings (rule_id, fired_at);
            """),
        (23, "customer equity and revenue at risk per workspace, recounted by the value writers so the overview reads one row", """
            CREATE TABLE customer_value_totals (
                workspace_id BIGINT NOT NULL PRIMARY KEY REFERENCES workspaces (id),
                customers BIGINT NOT NULL,
                equity DOUBLE PRECISION NOT NULL,
                at_risk DOUBLE PRECISION NOT NULL,
                churn_model_id BIGINT NULL,
                version BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            INSERT INTO customer_value_totals (workspace_id, customers, equity, at_risk, churn_model_id, version, updated_at)
            SELECT workspace_id, COUNT(*), COALESCE(SUM(clv), 0), COALESCE(SUM(clv * churn_risk), 0), MAX(churn_model_id), 1, COALESCE(MAX(updated_at), 0)
            FROM customer_values GROUP BY workspace_id;
            """),
        (24, "referral events indexed on their own: ranking advocates reads them without scanning every interaction", """
            CREATE INDEX ix_interactions_referrals ON interactions (workspace_id, customer_id, occurred_at) WHERE event = 'Referral Sent';
            """),
        (25, "redirects found by the profile they point to: a merge re-points the earlier ones, and survivorship reads the persona of the profiles merged into one", """
            CREATE INDEX ix_customer_redirects_target ON customer_redirects (workspace_id, customer_id);
            """),
        (26, "the run log of schedule rules: per occurrence the customers evaluated, selected, acted on and left over the bound", """
            CREATE TABLE rule_runs (
                id {id},
                workspace_id BIGINT NOT NULL REFERENCES workspaces (id),
                rule_id BIGINT NOT NULL,
                occurrence_at BIGINT NOT NULL,
                ran_at BIGINT NOT NULL,
                customers_scanned BIGINT NOT NULL,
                matched BIGINT NOT NULL,
                fired BIGINT NOT NULL,
                overflow BIGINT NOT NULL,
                errors BIGINT NOT NULL,
                note TEXT NULL,
                UNIQUE (rule_id, occurrence_at)
            );
            """),
        (27, "background job leases: which server process runs each job, until when", """
            CREATE TABLE job_leases (
                job TEXT NOT NULL PRIMARY KEY,
                holder TEXT NOT NULL,
                held_since BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            """),
        (28, "journey instances keep the time of their latest interaction, repeats included, so the projector knows a late one", """
            ALTER TABLE journey_instances ADD COLUMN seen_at BIGINT NULL;
            """),
        (29, "retention policies: days to keep raw interactions, comment texts and inactive customers' personal data, and the last pass", """
            CREATE TABLE retention_policies (
                workspace_id BIGINT NOT NULL PRIMARY KEY REFERENCES workspaces (id),
                interactions_days BIGINT NULL,
                comments_days BIGINT NULL,
                personal_data_days BIGINT NULL,
                comments_done_before BIGINT NULL,
                updated_at BIGINT NOT NULL,
                last_run_at BIGINT NULL,
                last_run TEXT NULL
            );
            """),
        (30, "a rule's firings newest first by id: the rule page and GET /rules/{id}/firings page on (rule_id, id) instead of sorting all of a rule's firings", """
            CREATE INDEX ix_rule_firings_rule ON rule_firings (rule_id, id);
            """),
    ];

    public static string Render(string sql, DatabaseKind kind) => sql
        .Replace("{id}", kind == DatabaseKind.Sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", StringComparison.Ordinal)
        .Replace("{without_rowid}", kind == DatabaseKind.Sqlite ? " WITHOUT ROWID" : "", StringComparison.Ordinal);
}
