"""Leaf functions of worker-thread samples that have no managed frame (native code whose stack perf could not walk),
within the time window of the samples whose stack holds ANCHOR (e.g. 'ImportPhase+<RunAsync>').

  python3 leaf.py perf.txt ANCHOR [samples-per-second]
"""
import re,collections,sys
path,anchor=sys.argv[1],sys.argv[2]; rate=float(sys.argv[3]) if len(sys.argv)>3 else 250
samples=[];cur=None
for line in open(path,errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if line[0] not in '\t ':
        m=re.match(r'(.+?)\s+(\d+)\s+([\d.]+):',line); cur={'comm':m.group(1).strip(),'t':float(m.group(3)),'frames':[]}
    else: cur['frames'].append(line.strip())
inw=[s for s in samples if any(anchor in f for f in s['frames'])]
t0=min(s['t'] for s in inw); t1=max(s['t'] for s in inw)
tp=[s for s in samples if t0<=s['t']<=t1 and s['comm'].startswith('.NET TP')]
nm=[s for s in tp if not any('perf-' in f for f in s['frames'])]
def leafname(f):
    m=re.match(r'\S+ (.*) \((.*)\)$', f)
    if not m: return f
    sym, dso = m.group(1), m.group(2).rsplit('/',1)[-1]
    return f'{dso}: {sym}'
bydso=collections.Counter(); bysym=collections.Counter()
for s in nm:
    # skip kernel frames to find first user frame
    fr=[f for f in s['frames'] if 'kernel.kallsyms' not in f] or s['frames']
    ln=leafname(fr[0]); bysym[ln]+=1; bydso[ln.split(':')[0]]+=1
print(f'broken-stack worker samples: {len(nm)/rate:.1f} CPU-s of {len(tp)/rate:.1f}')
for k,v in bydso.most_common(8): print(f'{v/rate:7.1f}  {k}')
for k,v in bysym.most_common(40): print(f'{v/rate:7.1f}  {k[:150]}')
