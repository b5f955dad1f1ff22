"""The PyTorch side of bench/tabular.ts: a plain torch MLP with embeddings, as fastai's TabularModel
(embeddings, BatchNorm1d on the continuous columns, Linear-ReLU-BatchNorm1d blocks, a last Linear),
trained with AdamW (fastai's Adam hyper-parameters: betas (0.9, 0.99), eps 1e-5, wd 0.01) and
cross-entropy on the same encoded rows owlet made, in batches of the same size (training shuffled,
the last partial batch dropped; validation in order, loss and accuracy), one validation pass an epoch.

/usr/bin/python3 bench/python/tabular.py DIR EPOCHS THREADS [WARMUP [phases]] -> one JSON line {"epoch_times": [...], "epoch_cpu": [...]} (wall and CPU seconds)
DIR holds meta.json and the raw little-endian arrays x_train.f32, y_train.i64, x_valid.f32, y_valid.i64.
"""
import json, os, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

d, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
meta = json.load(open(os.path.join(d, 'meta.json')))
n_cat, n_cont, bs = meta['nCat'], meta['nCont'], meta['bs']
def load(name, dtype, w):
    a = np.fromfile(os.path.join(d, name), dtype=dtype)
    return torch.from_numpy(a.reshape(-1, w) if w else a)
xt, yt = load('x_train.f32', np.float32, n_cat + n_cont), load('y_train.i64', np.int64, 0)
xv, yv = load('x_valid.f32', np.float32, n_cat + n_cont), load('y_valid.i64', np.int64, 0)
xt_cat, xt_cont = xt[:, :n_cat].long(), xt[:, n_cat:].contiguous()
xv_cat, xv_cont = xv[:, :n_cat].long(), xv[:, n_cat:].contiguous()

class Model(nn.Module):
    def __init__(self, emb_szs, n_cont, out_sz, layers):
        super().__init__()
        self.embeds = nn.ModuleList([nn.Embedding(ni, nf) for ni, nf in emb_szs])
        self.bn_cont = nn.BatchNorm1d(n_cont)
        sizes = [sum(nf for _, nf in emb_szs) + n_cont] + layers
        blocks = []
        for a, b in zip(sizes[:-1], sizes[1:]): blocks += [nn.Linear(a, b, bias=False), nn.ReLU(inplace=True), nn.BatchNorm1d(b)]
        blocks.append(nn.Linear(sizes[-1], out_sz))
        self.layers = nn.Sequential(*blocks)
    def forward(self, x_cat, x_cont):
        x = torch.cat([e(x_cat[:, i]) for i, e in enumerate(self.embeds)], 1)
        return self.layers(torch.cat([x, self.bn_cont(x_cont)], 1))

model = Model(meta['embSzs'], n_cont, meta['c'], meta['layers'])
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)

if len(sys.argv) > 5 and sys.argv[5] == 'phases':
    # One training batch (the first bs rows) EPOCHS times after WARMUP: mean seconds of the forward
    # with the loss, of backward, and of the optimizer's step with zero_grad -> {"phases": [f, b, s]}.
    xc, xn, yb = xt_cat[:bs], xt_cont[:bs], yt[:bs]
    def phases(n):
        t = [0.0, 0.0, 0.0]
        for _ in range(n):
            t0 = time.perf_counter(); loss = F.cross_entropy(model(xc, xn), yb); t1 = time.perf_counter()
            loss.backward(); t2 = time.perf_counter()
            opt.step(); opt.zero_grad(); t3 = time.perf_counter()
            t[0] += t1 - t0; t[1] += t2 - t1; t[2] += t3 - t2
        return [x / n for x in t]
    model.train()
    phases(warmup)
    print(json.dumps({'phases': phases(epochs)}))
    sys.exit(0)

def epoch():
    model.train()
    perm = torch.randperm(len(yt))
    for b in range(len(yt) // bs):
        i = perm[b * bs:(b + 1) * bs]
        loss = F.cross_entropy(model(xt_cat[i], xt_cont[i]), yt[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    tot, correct = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(yv), bs):
            out = model(xv_cat[s:s + bs], xv_cont[s:s + bs])
            tot += F.cross_entropy(out, yv[s:s + bs], reduction='sum').item()
            correct += (out.argmax(1) == yv[s:s + bs]).sum().item()
    return tot / len(yv), correct / len(yv)

for _ in range(warmup): epoch()  # warm-up
times, cpu = [], []
for _ in range(epochs):
    t0, c0 = time.perf_counter(), time.process_time()
    epoch()
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({'epoch_times': times, 'epoch_cpu': cpu}))
