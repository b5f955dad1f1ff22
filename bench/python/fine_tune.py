"""The PyTorch side of bench/fine-tune.ts: fastai's `fine_tune(1)` of a vision learner, written by hand.

/usr/bin/python3 bench/python/fine_tune.py CONFIG.json -> the epoch tables on stderr, one JSON line on stdout.

CONFIG: {"train": [[file, label index], ...], "valid": [...], "vocab": [...], "arch": "resnet34",
         "size": 224, "bs": 32, "threads": 2, "workers": 1, "precision": "fp32" | "bf16", "seed": 42}

What fastai does, and so what owlet does:
- the model: torchvision's body (all but avgpool and fc) and fastai's head (AdaptiveConcatPool2d,
  Flatten, BatchNorm1d, Dropout 0.25, Linear(2nf, 512, bias=False), ReLU, BatchNorm1d, Dropout 0.5,
  Linear(512, n, bias=False)), the head's linear layers kaiming-normal, its BatchNorms weight 1 and
  bias 1e-3; parameter groups [body, head];
- the data: decode, Resize(224) (a square image: a plain resize), [0, 1], ImageNet normalisation;
  training shuffled with the last partial batch dropped; no augmentation (the lesson's
  `item_tfms=Resize(224)` only);
- fastai's Adam: decoupled weight decay 0.01 (AdamW), betas (mom, 0.99), eps 1e-5, no weight decay
  on norm layers and biases;
- fine_tune(1, base_lr=2e-3): freeze (the body's parameters stop training but its BatchNorms), one
  epoch of one-cycle at slice(base_lr) (lrs [base_lr/10, base_lr]) with pct_start 0.99, div 25,
  div_final 1e5; then base_lr/2, unfreeze, one epoch at slice(base_lr/200, base_lr/2) with
  pct_start 0.3, div 5; momentum cosine 0.95 -> 0.85 -> 0.95; each epoch validated (loss, error rate).
"""
import json
import math
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torchvision
    from PIL import Image
except ImportError as e:
    print(f"torch/torchvision/PIL missing: {e}", file=sys.stderr)
    sys.exit(3)

cfg = json.load(open(sys.argv[1]))
torch.set_num_threads(cfg["threads"])
torch.manual_seed(cfg["seed"])
size = cfg["size"]
bf16 = cfg["precision"] == "bf16"

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
tfm = torchvision.transforms.Compose([
    torchvision.transforms.Resize((size, size)),
    torchvision.transforms.ToTensor(),
    torchvision.transforms.Normalize(MEAN, STD),
])


class Files(torch.utils.data.Dataset):
    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        f, y = self.items[i]
        with Image.open(f) as im:
            return tfm(im.convert("RGB")), y


g = torch.Generator()
g.manual_seed(cfg["seed"])
train_dl = torch.utils.data.DataLoader(Files(cfg["train"]), batch_size=cfg["bs"], shuffle=True, drop_last=True,
                                       num_workers=cfg["workers"], generator=g, persistent_workers=cfg["workers"] > 0)
valid_dl = torch.utils.data.DataLoader(Files(cfg["valid"]), batch_size=cfg["bs"], shuffle=False,
                                       num_workers=cfg["workers"], persistent_workers=cfg["workers"] > 0)


class AdaptiveConcatPool2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.ap, self.mp = nn.AdaptiveAvgPool2d(1), nn.AdaptiveMaxPool2d(1)

    def forward(self, x):
        return torch.cat([self.mp(x), self.ap(x)], 1)


def bn1d(n):
    bn = nn.BatchNorm1d(n)
    with torch.no_grad():
        bn.weight.fill_(1.0)
        bn.bias.fill_(1e-3)
    return bn


def create_head(nf, n_out):
    layers = [AdaptiveConcatPool2d(), nn.Flatten(), bn1d(2 * nf), nn.Dropout(0.25), nn.Linear(2 * nf, 512, bias=False),
              nn.ReLU(inplace=True), bn1d(512), nn.Dropout(0.5), nn.Linear(512, n_out, bias=False)]
    for m in layers:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight)
    return nn.Sequential(*layers)


tv = getattr(torchvision.models, cfg["arch"])()
body = nn.Sequential(*list(tv.children())[:-2])
model = nn.Sequential(body, create_head(tv.fc.in_features, len(cfg["vocab"])))
if bf16:
    model = model.to(memory_format=torch.channels_last)

NORM = (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)


def norm_bias_params(m):
    out = []
    for mod in m.modules():
        if isinstance(mod, NORM):
            out += list(mod.parameters(recurse=False))
        elif getattr(mod, "bias", None) is not None and isinstance(mod.bias, nn.Parameter):
            out.append(mod.bias)
    return out


nb = {id(p) for p in norm_bias_params(model)}
bn_ids = {id(p) for mod in model.modules() if isinstance(mod, NORM) for p in mod.parameters(recurse=False)}
groups = []
for gi, part in enumerate([body, model[1]]):
    ps = list(part.parameters())
    groups.append({"params": [p for p in ps if id(p) not in nb], "weight_decay": 0.01, "g": gi})
    groups.append({"params": [p for p in ps if id(p) in nb], "weight_decay": 0.0, "g": gi})
opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99), eps=1e-5)
loss_fn = nn.CrossEntropyLoss()


def set_frozen(frozen):
    for p in body.parameters():
        p.requires_grad_(not frozen or id(p) in bn_ids)
    opt.state.clear()  # fastai's freeze_to clears the optimizer's state


def sched_cos(start, end, pos):
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def combined_cos(pct, start, middle, end, pos):
    if pos < pct:
        return sched_cos(start, middle, pos / pct)
    return sched_cos(middle, end, (pos - pct) / (1 - pct))


def one_cycle_epoch(lr_maxes, pct_start, div, div_final=1e5):
    n = len(train_dl)
    model.train()
    t0 = time.perf_counter()
    tot, cnt = 0.0, 0
    for i, (x, y) in enumerate(train_dl):
        pos = i / n
        for grp in opt.param_groups:
            lm = lr_maxes[grp["g"]]
            grp["lr"] = combined_cos(pct_start, lm / div, lm, lm / div_final, pos)
            grp["betas"] = (combined_cos(pct_start, 0.95, 0.85, 0.95, pos), 0.99)
        if bf16:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = loss_fn(model(x).float(), y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        tot += loss.item() * len(y)
        cnt += len(y)
    model.eval()
    vl, err, vn = 0.0, 0, 0
    with torch.no_grad():
        for x, y in valid_dl:
            if bf16:
                x = x.contiguous(memory_format=torch.channels_last)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                out = model(x).float()
            vl += loss_fn(out, y).item() * len(y)
            err += (out.argmax(1) != y).sum().item()
            vn += len(y)
    return {"train_loss": tot / cnt, "valid_loss": vl / vn, "error_rate": err / vn, "seconds": time.perf_counter() - t0}


def table(rows):
    print("epoch     train_loss  valid_loss  error_rate  time    ", file=sys.stderr)
    for i, r in enumerate(rows):
        s = int(round(r["seconds"]))
        print(f"{i:<10}{r['train_loss']:<12.6f}{r['valid_loss']:<12.6f}{r['error_rate']:<12.6f}{s // 60:02d}:{s % 60:02d}", file=sys.stderr)


base_lr = 2e-3
t0 = time.perf_counter()
set_frozen(True)
e1 = one_cycle_epoch([base_lr / 10, base_lr], pct_start=0.99, div=25.0)
table([e1])
base_lr /= 2
set_frozen(False)
e2 = one_cycle_epoch([base_lr / 100, base_lr], pct_start=0.3, div=5.0)
table([e2])
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "epochs": [e1, e2], "version": torch.__version__, "threads": torch.get_num_threads()}))
