namespace OpenCem.Demo;

/// <summary>The demo surveys' SurveyJS JSON (English default, German translations, OpenCem roles).</summary>
public static partial class DemoSurveys
{
    private const string RelationshipNpsJson = """
        {
          "title": {"default": "How are we doing?", "de": "Wie zufrieden sind Sie mit uns?"},
          "description": {"default": "A few questions about Alpenfunk Telecom.", "de": "Ein paar Fragen zu Alpenfunk Telecom."},
          "pages": [{
            "name": "score",
            "elements": [
              {"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true,
               "title": {"default": "How likely are you to recommend Alpenfunk Telecom to a friend or colleague?", "de": "Wie wahrscheinlich ist es, dass Sie Alpenfunk Telecom einem Freund oder Kollegen empfehlen?"},
               "minRateDescription": {"default": "Not at all likely", "de": "Sehr unwahrscheinlich"},
               "maxRateDescription": {"default": "Extremely likely", "de": "Äußerst wahrscheinlich"}},
              {"type": "radiogroup", "name": "reason", "visibleIf": "{nps} <= 6", "isRequired": true,
               "title": {"default": "What disappointed you most?", "de": "Was hat Sie am meisten enttäuscht?"},
               "choices": [
                 {"value": "network", "text": {"default": "Network and connection", "de": "Netz und Verbindung"}},
                 {"value": "price", "text": {"default": "Price", "de": "Preis"}},
                 {"value": "billing", "text": {"default": "Billing", "de": "Rechnung"}},
                 {"value": "service", "text": {"default": "Service and repairs", "de": "Service und Reparaturen"}},
                 {"value": "self-service", "text": {"default": "App and self-service", "de": "App und Selbstbedienung"}},
                 {"value": "other", "text": {"default": "Something else", "de": "Etwas anderes"}}]},
              {"type": "radiogroup", "name": "strength", "visibleIf": "{nps} >= 9",
               "title": {"default": "What do you value most?", "de": "Was schätzen Sie am meisten?"},
               "choices": [
                 {"value": "network", "text": {"default": "Network and connection", "de": "Netz und Verbindung"}},
                 {"value": "price", "text": {"default": "Price", "de": "Preis"}},
                 {"value": "billing", "text": {"default": "Clear bills", "de": "Klare Rechnungen"}},
                 {"value": "service", "text": {"default": "Service and repairs", "de": "Service und Reparaturen"}},
                 {"value": "self-service", "text": {"default": "App and self-service", "de": "App und Selbstbedienung"}}]}
            ]
          }, {
            "name": "ease",
            "title": {"default": "How easy do we make it for you to ...", "de": "Wie einfach machen wir es Ihnen, ..."},
            "description": {"default": "1 = very difficult, 7 = very easy; leave out what you never needed.", "de": "1 = sehr schwierig, 7 = sehr einfach; lassen Sie aus, was Sie nie gebraucht haben."},
            "elements": [
              {"type": "rating", "name": "easeRepair", "role": "driver", "rateMin": 1, "rateMax": 7,
               "title": {"default": "... get a fault repaired?", "de": "... eine Störung beheben zu lassen?"}},
              {"type": "rating", "name": "easeBilling", "role": "driver", "rateMin": 1, "rateMax": 7,
               "title": {"default": "... understand your bill?", "de": "... Ihre Rechnung zu verstehen?"}},
              {"type": "rating", "name": "easeApp", "role": "driver", "rateMin": 1, "rateMax": 7,
               "title": {"default": "... use the app and self-service?", "de": "... die App und die Selbstbedienung zu nutzen?"}},
              {"type": "rating", "name": "easeService", "role": "driver", "rateMin": 1, "rateMax": 7,
               "title": {"default": "... reach our service?", "de": "... unseren Service zu erreichen?"}}
            ]
          }, {
            "name": "comment",
            "elements": [
              {"type": "comment", "name": "comment", "role": "verbatim",
               "title": {"default": "What is the main reason for your score?", "de": "Was ist der wichtigste Grund für Ihre Bewertung?"}}
            ]
          }]
        }
        """;

    private const string FaultRepairJson = """
        {
          "title": {"default": "Your fault repair", "de": "Ihre Störungsbehebung"},
          "description": {"default": "Two minutes about how we fixed your fault.", "de": "Zwei Minuten zur Behebung Ihrer Störung."},
          "elements": [
            {"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5, "isRequired": true,
             "title": {"default": "How satisfied are you with how we fixed your fault?", "de": "Wie zufrieden sind Sie mit der Behebung Ihrer Störung?"},
             "minRateDescription": {"default": "Very dissatisfied", "de": "Sehr unzufrieden"},
             "maxRateDescription": {"default": "Very satisfied", "de": "Sehr zufrieden"}},
            {"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7, "isRequired": true,
             "title": {"default": "How easy was it to get your fault fixed?", "de": "Wie einfach war es, Ihre Störung beheben zu lassen?"},
             "minRateDescription": {"default": "Very difficult", "de": "Sehr schwierig"},
             "maxRateDescription": {"default": "Very easy", "de": "Sehr einfach"}},
            {"type": "matrix", "name": "attributes", "role": "driver",
             "title": {"default": "How do you rate ...", "de": "Wie bewerten Sie ..."},
             "columns": [1, 2, 3, 4, 5],
             "rows": [
               {"value": "reporting", "text": {"default": "reporting the fault", "de": "die Störungsmeldung"}},
               {"value": "information", "text": {"default": "being kept informed", "de": "die Information über den Stand"}},
               {"value": "speed", "text": {"default": "the speed of the repair", "de": "die Dauer der Reparatur"}},
               {"value": "technician", "text": {"default": "the technician (if one came)", "de": "den Techniker (falls einer kam)"}},
               {"value": "result", "text": {"default": "the result", "de": "das Ergebnis"}}]},
            {"type": "comment", "name": "comment", "role": "verbatim",
             "title": {"default": "What should we know about your repair?", "de": "Was sollten wir über Ihre Reparatur wissen?"}}
          ]
        }
        """;

    private const string SupportContactJson = """
        {
          "title": {"default": "Your contact with us", "de": "Ihr Kontakt mit uns"},
          "elements": [
            {"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7, "isRequired": true,
             "title": {"default": "How easy was it to get your request handled?", "de": "Wie einfach war es, Ihr Anliegen zu klären?"},
             "minRateDescription": {"default": "Very difficult", "de": "Sehr schwierig"},
             "maxRateDescription": {"default": "Very easy", "de": "Sehr einfach"}},
            {"type": "boolean", "name": "resolved", "isRequired": true,
             "title": {"default": "Was your request resolved?", "de": "Wurde Ihr Anliegen gelöst?"},
             "labelTrue": {"default": "Yes", "de": "Ja"}, "labelFalse": {"default": "No", "de": "Nein"}},
            {"type": "rating", "name": "agent", "role": "driver", "rateMin": 1, "rateMax": 5,
             "title": {"default": "How competent was the person who helped you?", "de": "Wie kompetent war die Person, die Ihnen geholfen hat?"}},
            {"type": "comment", "name": "comment", "role": "verbatim",
             "title": {"default": "Anything you want to tell us?", "de": "Möchten Sie uns noch etwas sagen?"}}
          ]
        }
        """;

    private const string ExpectationsJson = """
        {
          "title": {"default": "What you expect and what you get", "de": "Was Sie erwarten und was Sie bekommen"},
          "pages": [{
            "name": "expectations",
            "title": {"default": "How much do you expect from a telecom provider?", "de": "Wie viel erwarten Sie von einem Telekommunikationsanbieter?"},
            "description": {"default": "1 = very little, 7 = a great deal", "de": "1 = sehr wenig, 7 = sehr viel"},
            "elements": [
              {"type": "rating", "name": "expectNetwork", "role": "expectation", "attribute": "network-reliability", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "A reliable network", "de": "Ein zuverlässiges Netz"}},
              {"type": "rating", "name": "expectPrice", "role": "expectation", "attribute": "price-transparency", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "Transparent prices and bills", "de": "Transparente Preise und Rechnungen"}},
              {"type": "rating", "name": "expectRepair", "role": "expectation", "attribute": "repair-speed", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "Fast repairs", "de": "Schnelle Reparaturen"}},
              {"type": "rating", "name": "expectStaff", "role": "expectation", "attribute": "staff-competence", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "Competent staff", "de": "Kompetente Mitarbeiter"}},
              {"type": "rating", "name": "expectApp", "role": "expectation", "attribute": "app-usability", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "An easy app", "de": "Eine einfache App"}}
            ]
          }, {
            "name": "experience",
            "title": {"default": "And how do you find Alpenfunk Telecom?", "de": "Und wie erleben Sie Alpenfunk Telecom?"},
            "description": {"default": "1 = very poor, 7 = excellent", "de": "1 = sehr schlecht, 7 = ausgezeichnet"},
            "elements": [
              {"type": "rating", "name": "network", "role": "experience", "attribute": "network-reliability", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "The reliability of our network", "de": "Die Zuverlässigkeit unseres Netzes"}},
              {"type": "rating", "name": "price", "role": "experience", "attribute": "price-transparency", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "The transparency of our prices and bills", "de": "Die Transparenz unserer Preise und Rechnungen"}},
              {"type": "rating", "name": "repair", "role": "experience", "attribute": "repair-speed", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "The speed of our repairs", "de": "Die Geschwindigkeit unserer Reparaturen"}},
              {"type": "rating", "name": "staff", "role": "experience", "attribute": "staff-competence", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "The competence of our staff", "de": "Die Kompetenz unserer Mitarbeiter"}},
              {"type": "rating", "name": "app", "role": "experience", "attribute": "app-usability", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "How easy our app is", "de": "Wie einfach unsere App ist"}},
              {"type": "rating", "name": "overall", "role": "overall", "rateMin": 1, "rateMax": 7, "isRequired": true,
               "title": {"default": "All in all, how satisfied are you with Alpenfunk Telecom?", "de": "Wie zufrieden sind Sie insgesamt mit Alpenfunk Telecom?"}},
              {"type": "comment", "name": "comment", "role": "verbatim",
               "title": {"default": "What could we do better?", "de": "Was könnten wir besser machen?"}}
            ]
          }]
        }
        """;

    private const string EmployeePulseJson = """
        {
          "title": {"default": "Employee pulse", "de": "Mitarbeiter-Puls"},
          "audience": "employees",
          "elements": [
            {"type": "radiogroup", "name": "team", "isRequired": true,
             "title": {"default": "Where do you work?", "de": "Wo arbeiten Sie?"},
             "choices": [
               {"value": "call-centre", "text": {"default": "Call centre", "de": "Kundenservice-Center"}},
               {"value": "shops", "text": {"default": "Shops", "de": "Shops"}},
               {"value": "field-service", "text": {"default": "Field service", "de": "Außendienst"}},
               {"value": "back-office", "text": {"default": "Back office", "de": "Backoffice"}}]},
            {"type": "dropdown", "name": "location", "isRequired": true,
             "title": {"default": "Where are you based?", "de": "Wo ist Ihr Standort?"},
             "choices": ["innsbruck", "vienna", "munich", "zurich", "bolzano"]},
            {"type": "radiogroup", "name": "tenure", "isRequired": true,
             "title": {"default": "How long have you been with Alpenfunk?", "de": "Wie lange sind Sie schon bei Alpenfunk?"},
             "choices": [
               {"value": "under-1y", "text": {"default": "Less than a year", "de": "Weniger als ein Jahr"}},
               {"value": "1-3y", "text": {"default": "1 to 3 years", "de": "1 bis 3 Jahre"}},
               {"value": "3-8y", "text": {"default": "3 to 8 years", "de": "3 bis 8 Jahre"}},
               {"value": "8y-plus", "text": {"default": "8 years or more", "de": "8 Jahre oder länger"}}]},
            {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true,
             "title": {"default": "How likely are you to recommend Alpenfunk as an employer?", "de": "Wie wahrscheinlich ist es, dass Sie Alpenfunk als Arbeitgeber empfehlen?"}},
            {"type": "rating", "name": "tools", "role": "driver", "rateMin": 1, "rateMax": 5, "isRequired": true,
             "title": {"default": "I have the tools I need to help customers.", "de": "Ich habe die Werkzeuge, die ich brauche, um Kunden zu helfen."}},
            {"type": "rating", "name": "empowerment", "role": "driver", "rateMin": 1, "rateMax": 5, "isRequired": true,
             "title": {"default": "I may solve a customer's problem without asking for permission.", "de": "Ich darf das Problem eines Kunden ohne Rückfrage lösen."}},
            {"type": "comment", "name": "comment", "role": "verbatim",
             "title": {"default": "What would make your work better?", "de": "Was würde Ihre Arbeit besser machen?"}}
          ]
        }
        """;

    private const string LostCustomersJson = """
        {
          "title": {"default": "We are sorry to see you go", "de": "Schade, dass Sie gehen"},
          "elements": [
            {"type": "radiogroup", "name": "reason", "isRequired": true,
             "title": {"default": "Why did you leave us?", "de": "Warum haben Sie uns verlassen?"},
             "choices": [
               {"value": "service", "text": {"default": "Poor service or repairs", "de": "Schlechter Service oder Reparaturen"}},
               {"value": "self-service", "text": {"default": "The app or self-service did not work", "de": "App oder Selbstbedienung haben nicht funktioniert"}},
               {"value": "network", "text": {"default": "Network problems", "de": "Probleme mit dem Netz"}},
               {"value": "price", "text": {"default": "Too expensive", "de": "Zu teuer"}},
               {"value": "billing", "text": {"default": "Problems with my bills", "de": "Probleme mit meinen Rechnungen"}},
               {"value": "competitor", "text": {"default": "A better offer elsewhere", "de": "Ein besseres Angebot woanders"}},
               {"value": "moving", "text": {"default": "I am moving", "de": "Ich ziehe um"}},
               {"value": "no-need", "text": {"default": "I no longer need it", "de": "Ich brauche es nicht mehr"}},
               {"value": "other", "text": {"default": "Something else", "de": "Etwas anderes"}}]},
            {"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true,
             "title": {"default": "How likely are you to recommend Alpenfunk Telecom to a friend anyway?", "de": "Wie wahrscheinlich würden Sie Alpenfunk Telecom trotzdem einem Freund empfehlen?"}},
            {"type": "boolean", "name": "comeBack",
             "title": {"default": "Could you imagine coming back to us?", "de": "Können Sie sich vorstellen, zu uns zurückzukommen?"},
             "labelTrue": {"default": "Yes", "de": "Ja"}, "labelFalse": {"default": "No", "de": "Nein"}},
            {"type": "comment", "name": "comment", "role": "verbatim",
             "title": {"default": "What could we have done to keep you?", "de": "Was hätten wir tun können, damit Sie bleiben?"}}
          ]
        }
        """;
}
