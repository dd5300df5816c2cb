# Seven clean days of 1,000 series in the model of bench RunWorkload (log-uniform 1-30 runs/h, log-normal
# cost sigma 0.3, tokens and duration with their own noise, bands from up to 2,000 baseline runs), judged
# run by run by the old rule (critical, two of five, median of five) and the new (critical, combined score);
# firing episodes per 1,000 series-days. python3 bench/analysis/clean_week.py SEED
import numpy as np, sys
from numpy.lib.stride_tricks import sliding_window_view as swv
seed=int(sys.argv[1]) if len(sys.argv)>1 else 1
rng=np.random.default_rng(seed)
TH=3.5; C=7.0; T=TH*5/3
def season_mean(): return 0.914
def band(x):
    med=np.median(x); mad=np.median(np.abs(x-med)); return med, 1.4826*mad
res={'old':0,'new':0,'2of5':0,'median':0}
series=1000
for s in range(series):
    r=np.exp(rng.uniform(0,np.log(30)))
    nb=min(2000,rng.poisson(r*24*7*0.914))
    nj=rng.poisson(r*24*7*0.914)
    if nb<30 or nj<5: continue
    # metrics: log values; cost sigma .3; input = cost + .1 g; output = input + .2g ; duration .3
    def gen(n):
        c=0.3*rng.standard_normal(n); i=c+0.1*rng.standard_normal(n); o=i+0.2*rng.standard_normal(n); d=0.3*rng.standard_normal(n)
        return [c,i,o,d]
    base=gen(nb); judged=gen(nj)
    for b,x in zip(base,judged):
        med,sc=band(b); z=(x-med)/sc
        if len(z)<5: continue
        W=swv(z,5)  # windows ending at index 4..
        for sign in (1,-1):
            w=W*sign
            up=w>TH
            crit=w[:,-1]>=2*TH
            two=up[:,-1]&(up.sum(1)>=2)
            srt=np.sort(w,1); medw=srt[:,2]
            medr=(medw>=2.8)&(w[:,-1]>=2.8)
            wc=np.clip(w,-C,C); best=np.full(len(w),-1e9)
            for k in range(2,6): best=np.maximum(best,wc[:,-k:].sum(1)/np.sqrt(k))
            comb=(best>=T)&(w[:,-1]>0)
            for name,f in (('old',crit|two|medr),('new',crit|comb),('2of5',two),('median',medr)):
                f=f.astype(int)
                # episodes: firing windows not preceded by a firing window within the last 3
                starts=0
                last=-10
                for idx in np.nonzero(f)[0]:
                    if idx-last>3: starts+=1
                    last=idx
                res[name]+=starts
print(seed, {k:(v, round(v/(series*7)*1000,2)) for k,v in res.items()})
