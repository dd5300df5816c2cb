# The combined score's false rate per window (importance sampling of normal scores) and its power
# against a 3x spike of a log-normal series (sigma 0.3), beside the two-of-five rule it replaced.
# python3 bench/analysis/combined_score.py   (numpy, scipy)
import numpy as np
rng=np.random.default_rng(7)
TH=3.5; C=7.0
def stat(z):
    zc=np.clip(z,-C,C); best=np.full(len(z),-1e9)
    for k in range(2,6):
        best=np.maximum(best, zc[:,-k:].sum(1)/np.sqrt(k))
    return best
def null_prob(T, mu=2.7, N=2_000_000, newest=True):
    tot=0; 
    # mixture of shifts on last k for k=2..5 to cover events
    est=[]
    for k in range(2,6):
        shift=np.zeros(5); shift[-k:]=mu
        z=rng.normal(0,1,(N,5))+shift
        lw=-(z*shift).sum(1)+0.5*(shift**2).sum()
        ev=(stat(z)>=T)
        if newest: ev&=(z[:,-1]>TH)
        est.append((ev, lw, z, shift))
    # balance heuristic: weight = p(z)/mean_k q_k(z)
    res=0
    for ev,lw,z,shift in est:
        qs=[np.exp(-0.5*((z-s2)**2).sum(1)+0.5*(z**2).sum(1)) for _,_,_,s2 in est]
        w=1/np.mean(qs,axis=0)
        res+= (ev*w).mean()/len(est)
    return res
def twoof5():
    p=1-__import__('scipy').stats.norm.cdf(TH)
    return p*(1-(1-p)**4)
print('2of5 per window-side', twoof5())
for T in [5.0,5.3,5.5,5.6,5.8,6.0]:
    print(T, 'null', f"{null_prob(T):.2e}", 'no-newest', f"{null_prob(T,newest=False):.2e}")
print('power')
for T in [5.5,5.8]:
  for newest in [True,False]:
    row=[]
    for m in [2,3,4,5,7]:
        M=100000
        zz=np.concatenate([rng.normal(0,1,(M,4)), rng.normal(np.log(3)/0.3,1,(M,m))],1)
        f=np.zeros(M,bool)
        for j in range(4,4+m):
            w=zz[:,j-4:j+1]; ev=stat(w)>=T
            if newest: ev&=w[:,-1]>TH
            f|=ev
        row.append(round(f.mean(),3))
    print(T,newest,row)
