"""Per-file CPU breakdown of an identity import from `perf script` output.

Record (JIT frames need the perf map and no W^X double mapping):
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 250 -g -o perf.data -- \
      dotnet bench/OpenCem.IdentityBench/bin/Release/net10.0/OpenCem.IdentityBench.dll --db sqlite --skip-raw --out-dir /tmp/x
  perf script -i perf.data -F comm,tid,time,ip,sym,dso > perf.txt
  python3 segments.py perf.txt [samples-per-second]

The files are told apart by the CSV-reading samples between them. For each file's resolve step it prints the
inclusive CPU seconds of the resolver's methods (keys.txt: label|frame substring; only samples whose stack could
be walked: native SQLite frames have no frame pointers, so those samples appear only in the leaf table).
"""
import re,collections,sys
path=sys.argv[1]; rate=float(sys.argv[2]) if len(sys.argv)>2 else 250
samples=[];cur=None
for line in open(path,errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if line[0] not in '\t ':
        m=re.match(r'(.+?)\s+(\d+)\s+([\d.]+):',line); cur={'comm':m.group(1).strip(),'t':float(m.group(3)),'frames':[]}
    else: cur['frames'].append(line.strip())
reads=sorted(s['t'] for s in samples if any(('SourceRecordReader::' in f or '[CsvHelper]' in f) for f in s['frames']))
# cluster
clusters=[]; 
for t in reads:
    if clusters and t-clusters[-1][1] < 1.0: clusters[-1][1]=t
    else: clusters.append([t,t])
imp_end=max(s['t'] for s in samples if any('ImportPhase+<RunAsync>' in f for f in s['frames']))
print('read clusters', [(round(a,1),round(b-a,1)) for a,b in clusters])
segs=[]
for i,(a,b) in enumerate(clusters):
    end = clusters[i+1][0] if i+1<len(clusters) else imp_end
    segs.append((f'file{i+1} resolve', b, end))
def leafname(f):
    m=re.match(r'\S+ (.*) \((.*)\)$', f)
    if not m: return f
    return m.group(2).rsplit('/',1)[-1]+': '+m.group(1)
keys=[l.split('|') for l in open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'keys.txt')).read().strip().split('\n')]
for name,a,b in segs:
    win=[s for s in samples if a<s['t']<=b]
    tp=[s for s in win if s['comm'].startswith('.NET TP')]
    print(f'\n== {name}: {b-a:.1f} s wall; worker {len(tp)/rate:.1f} CPU-s, GC {sum(1 for s in win if "GC" in s["comm"])/rate:.1f} CPU-s')
    inc=collections.Counter(); leaf=collections.Counter()
    for s in tp:
        st=' | '.join(s['frames'])
        if 'perf-' in st:
            for k,p in keys:
                if p in st: inc[k]+=1
        fr=[f for f in s['frames'] if 'kernel.kallsyms' not in f] or s['frames']
        ln=leafname(fr[0])
        if 'perf-' in ln: ln='managed code'
        leaf[ln.split(':')[0] if ln.startswith('libc') or ln.startswith('libcoreclr') else ln]+=1
    print('  managed (walkable stacks), inclusive:')
    for k,_ in keys:
        if inc[k]/rate>=0.2: print(f'   {inc[k]/rate:6.1f}  {k}')
    print('  leaf:')
    for k,v in leaf.most_common(14): print(f'   {v/rate:6.1f}  {k[:120]}')
