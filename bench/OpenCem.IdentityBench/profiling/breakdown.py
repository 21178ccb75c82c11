"""Thread and method breakdown (inclusive CPU seconds) within the time window of the samples whose stack holds ANCHOR.

  python3 breakdown.py perf.txt ANCHOR [samples-per-second]
"""
import sys, re, collections
path, anchor = sys.argv[1], sys.argv[2]
keys = [
 ('read: RecordFiles.ReadCsv (CsvHelper + JsonObject rows)', 'RecordFiles+<ReadCsv>'),
 ('read:   SourceRecordReader.Read', 'SourceRecordReader::Read'),
 ('read:   IdentifierNormaliser.Normalise', 'IdentifierNormaliser::Normalise'),
 ('stage: StageAsync', 'ProfileResolver+<StageAsync>'),
 ('stage:   RecordsByKeyAsync', 'IdentityRepository+<RecordsByKeyAsync>'),
 ('stage:   Combine (traits ToJsonString)', 'ProfileResolver::Combine'),
 ('load: LoadWorkspaceAsync', 'ProfileResolver+<LoadWorkspaceAsync>'),
 ('load:   AllRecordsAsync', 'IdentityRepository+<AllRecordsAsync>'),
 ('load:   AllTrackingIdentitiesAsync', 'IdentityRepository+<AllTrackingIdentitiesAsync>'),
 ('plan: ResolutionPlan.Make', 'ResolutionPlan::Make'),
 ('plan:   IdentityGraph.Resolve', 'IdentityGraph::Resolve'),
 ('traits: SurvivingTraitsAsync', 'ProfileResolver+<SurvivingTraitsAsync>'),
 ('traits:   TraitsOfRecordIdsAsync', 'IdentityRepository+<TraitsOfRecordIdsAsync>'),
 ('traits:   Survive', 'ProfileResolver::Survive'),
 ('traits:     Survivorship.Apply', 'Survivorship::Apply'),
 ('traits:     JsonNode.Parse', 'JsonNode::Parse'),
 ('write: ReserveIdsAsync', 'BulkRecordWriter+<ReserveIdsAsync>'),
 ('write: InsertCustomersAsync', 'BulkRecordWriter+<InsertCustomersAsync>'),
 ('write: InsertRecordsAsync', 'BulkRecordWriter+<InsertRecordsAsync>'),
 ('write: UpdateRecordsAsync', 'IdentityRepository+<UpdateRecordsAsync>'),
 ('write: UpdateRecordCustomersAsync', 'IdentityRepository+<UpdateRecordCustomersAsync>'),
 ('write: WriteIdentifierRowsAsync', 'ProfileResolver+<WriteIdentifierRowsAsync>'),
 ('write:   InsertRecordIdentifiersAsync', 'BulkRecordWriter+<InsertRecordIdentifiersAsync>'),
 ('write:   List.Sort (identifier rows)', 'ValueTuple`2[OpenCem.Customers.Identifier,System.Int64]]::Sort'),
 ('write: InsertIdentitiesAsync (one INSERT..RETURNING per userId)', 'IdentityRepository+<InsertIdentitiesAsync>'),
 ('write: MoveIdentity/MergeAway', 'IdentityRepository+<M'),
 ('write: UpdateProfilesAsync', 'BulkRecordWriter+<UpdateProfilesAsync>'),
 ('write: AddCounterAsync', 'IdentityRepository+<AddCounterAsync>'),
 ('commit', 'Transaction::Commit'),
 ('any: SqliteCommand prepare (GetStatements)', 'SqliteCommand+<GetStatements>'),
 ('any: SqliteParameterCollection.Bind', 'SqliteParameterCollection::Bind'),
 ('any: Dapper', '[Dapper]'),
 ('any: Npgsql', '[Npgsql]'),
]
samples=[]; cur=None
for line in open(path, errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if line[0] not in '\t ':
        m = re.match(r'(.+?)\s+(\d+)\s+([\d.]+):', line)
        cur={'comm':m.group(1).strip(),'t':float(m.group(3)),'frames':[]}
    else:
        cur['frames'].append(line.strip().split(' ',1)[1] if ' ' in line.strip() else '?')
if cur: samples.append(cur)
inw=[s for s in samples if any(anchor in f for f in s['frames'])]
t0=min(s['t'] for s in inw); t1=max(s['t'] for s in inw)
win=[s for s in samples if t0<=s['t']<=t1]
N=len(win); secs=t1-t0
rate = float(sys.argv[3]) if len(sys.argv)>3 else 250.0
print(f'window {secs:.1f} s, {N} samples = {N/rate:.1f} CPU-s ({N/rate/secs:.2f} cores)')
for k,v in collections.Counter(s['comm'] for s in win).most_common(8): print(f'  {k:20s} {v/rate:7.1f} CPU-s')
tp=[s for s in win if s['comm'].startswith('.NET TP') or s['comm'].startswith('dotnet') or s['comm'].startswith('.NET Long')]
print(f'worker threads: {len(tp)/rate:.1f} CPU-s')
inc=collections.Counter(); nomanaged=collections.Counter()
for s in tp:
    st=' | '.join(s['frames'])
    hit=False
    for name,pat in keys:
        if pat in st: inc[name]+=1; hit=True
    if not any('perf-' in f for f in s['frames']):
        leaf=s['frames'][0]
        m=re.search(r'\s(\S+) \(([^)]*)\)$', leaf)
        nomanaged[(m.group(2).rsplit('/',1)[-1] if m else '?') + ' ' + (m.group(1) if m and 'strncmp' in m.group(1) else '')]+=1
for name,_ in keys:
    print(f'{inc[name]/rate:7.1f} CPU-s  {inc[name]/len(tp):6.1%}  {name}')
print('worker samples with no managed frame (native stack not walkable):')
for k,v in nomanaged.most_common(8): print(f'{v/rate:7.1f} CPU-s  {k}')
