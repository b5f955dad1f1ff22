"""Golden values for owlet's optimizers (test/optim.test.ts): fastai's Adam and SGD, written out in
PyTorch from fastai/optimizer.py (fastai itself is not installed here), on fixed parameters and
gradients over a few steps, with two parameter groups, per-step hypers (a changing `mom`, as
one-cycle gives) and parameters without weight decay (fastai's wd_bn_bias=False).

The transcription is checked against torch.optim.AdamW / torch.optim.SGD where they coincide
(constant betas; undampened momentum), so a slip here cannot hide.

Run with Debian's torch:  /usr/bin/python3 test/golden/make_optim_golden.py
"""
import json
import os

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float32)


# ---- fastai/optimizer.py, transcribed -------------------------------------------------------

def weight_decay(p, lr, wd, do_wd=True, **kwargs):
    if do_wd and wd != 0:
        p.data.mul_(1 - lr * wd)


def l2_reg(p, lr, wd, do_wd=True, **kwargs):
    if do_wd and wd != 0:
        p.grad.data.add_(p.data, alpha=wd)


def average_grad(p, mom, dampening=False, grad_avg=None, **kwargs):
    if grad_avg is None:
        grad_avg = torch.zeros_like(p.grad.data)
    damp = 1 - mom if dampening else 1.
    grad_avg.mul_(mom).add_(p.grad.data, alpha=damp)
    return {'grad_avg': grad_avg}


def average_sqr_grad(p, sqr_mom, dampening=True, sqr_avg=None, **kwargs):
    if sqr_avg is None:
        sqr_avg = torch.zeros_like(p.grad.data)
    damp = 1 - sqr_mom if dampening else 1.
    sqr_avg.mul_(sqr_mom).addcmul_(p.grad.data, p.grad.data, value=damp)
    return {'sqr_avg': sqr_avg}


def step_stat(p, step=0, **kwargs):
    return {'step': step + 1}


def debias(mom, damp, step):
    return damp * (1 - mom ** step) / (1 - mom)


def adam_step(p, lr, mom, step, sqr_mom, grad_avg, sqr_avg, eps, **kwargs):
    debias1 = debias(mom, 1 - mom, step)
    debias2 = debias(sqr_mom, 1 - sqr_mom, step)
    p.data.addcdiv_(grad_avg, (sqr_avg / debias2).sqrt() + eps, value=-lr / debias1)


def sgd_step(p, lr, **kwargs):
    p.data.add_(p.grad.data, alpha=-lr)


def momentum_step(p, lr, grad_avg, **kwargs):
    p.data.add_(grad_avg, alpha=-lr)


def adam_cbs(decouple_wd=True):
    return [weight_decay if decouple_wd else l2_reg,
            lambda p, **kw: average_grad(p, dampening=True, **kw),
            average_sqr_grad, step_stat, adam_step]


def sgd_cbs(mom, decouple_wd=True):
    cbs = [weight_decay if decouple_wd else l2_reg]
    if mom != 0:
        cbs.append(average_grad)
    cbs.append(sgd_step if mom == 0 else momentum_step)
    return cbs


def run_fastai(cbs, groups, hypers_per_step, grads_per_step, do_wd):
    """groups: list of lists of parameter names; the optimizer's step, fastai's Optimizer.step."""
    params = {n: t.clone().requires_grad_() for n, t in INIT.items()}
    state = {n: {} if do_wd[n] else {'do_wd': False} for n in params}
    out = []
    for hypers, grads in zip(hypers_per_step, grads_per_step):
        for n, g in grads.items():
            params[n].grad = g.clone()
        for gi, names in enumerate(groups):
            for n in names:
                p = params[n]
                st = state[n]
                for cb in cbs:
                    r = cb(p, **{**st, **hypers[gi]})
                    if isinstance(r, dict):
                        st.update(r)
        out.append({n: enc(p.detach()) for n, p in params.items()})
    return out


def enc(t):
    return {'shape': list(t.shape), 'values': [float(v) for v in t.reshape(-1).tolist()]}


# ---- fixed data -------------------------------------------------------------------------------

INIT = {
    'w0': torch.randn(4, 3),
    'b0': torch.randn(4),
    'w1': torch.randn(2, 4),
    'bn1': torch.rand(2) + 0.5,
}
GROUPS = [['w0', 'b0'], ['w1', 'bn1']]
DO_WD = {'w0': True, 'b0': False, 'w1': True, 'bn1': False}
STEPS = 4
GRADS = [{n: torch.randn_like(t) for n, t in INIT.items()} for _ in range(STEPS)]
MOMS = [0.95, 0.93, 0.9, 0.87]
LRS = [[1e-3, 1e-2], [2e-3, 2e-2], [3e-3, 3e-2], [1e-3, 1e-2]]

cases = []

# Adam, fastai's defaults but for lr and a changing mom; wd 0.01 decoupled.
adam_hypers = [[{'lr': LRS[s][g], 'mom': MOMS[s], 'sqr_mom': 0.99, 'eps': 1e-5, 'wd': 0.01} for g in range(2)] for s in range(STEPS)]
cases.append({'name': 'adam_decoupled', 'optimizer': 'Adam', 'decoupleWd': True,
              'hypers': adam_hypers, 'steps': run_fastai(adam_cbs(True), GROUPS, adam_hypers, GRADS, DO_WD)})

# Adam with L2 regularisation and a large wd.
adam_l2 = [[{**h, 'wd': 0.1} for h in step] for step in adam_hypers]
cases.append({'name': 'adam_l2', 'optimizer': 'Adam', 'decoupleWd': False,
              'hypers': adam_l2, 'steps': run_fastai(adam_cbs(False), GROUPS, adam_l2, GRADS, DO_WD)})

# SGD with momentum 0.9 and wd 0.05.
sgd_hypers = [[{'lr': LRS[s][g], 'mom': 0.9, 'wd': 0.05} for g in range(2)] for s in range(STEPS)]
cases.append({'name': 'sgd_momentum', 'optimizer': 'SGD', 'decoupleWd': True, 'initMom': 0.9,
              'hypers': sgd_hypers, 'steps': run_fastai(sgd_cbs(0.9), GROUPS, sgd_hypers, GRADS, DO_WD)})

# Plain SGD.
sgd_plain = [[{'lr': LRS[s][g], 'mom': 0.0, 'wd': 0.0} for g in range(2)] for s in range(STEPS)]
cases.append({'name': 'sgd_plain', 'optimizer': 'SGD', 'decoupleWd': True, 'initMom': 0.0,
              'hypers': sgd_plain, 'steps': run_fastai(sgd_cbs(0.0), GROUPS, sgd_plain, GRADS, DO_WD)})


# ---- the transcription against PyTorch's own optimizers ---------------------------------------

def check_against_torch():
    const = [[{'lr': 1e-2, 'mom': 0.9, 'sqr_mom': 0.99, 'eps': 1e-5, 'wd': 0.01}] * 2] * STEPS
    all_wd = {n: True for n in INIT}
    ours = run_fastai(adam_cbs(True), GROUPS, const, GRADS, all_wd)
    params = {n: t.clone().requires_grad_() for n, t in INIT.items()}
    opt = torch.optim.AdamW(params.values(), lr=1e-2, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)
    for s in range(STEPS):
        for n, g in GRADS[s].items():
            params[n].grad = g.clone()
        opt.step()
        for n, p in params.items():
            ref = torch.tensor(ours[s][n]['values']).reshape(p.shape)
            assert torch.allclose(p.detach(), ref, rtol=1e-5, atol=1e-7), (s, n, p, ref)
    const_sgd = [[{'lr': 1e-2, 'mom': 0.9, 'wd': 0.0}] * 2] * STEPS
    ours = run_fastai(sgd_cbs(0.9), GROUPS, const_sgd, GRADS, all_wd)
    params = {n: t.clone().requires_grad_() for n, t in INIT.items()}
    opt = torch.optim.SGD(params.values(), lr=1e-2, momentum=0.9)
    for s in range(STEPS):
        for n, g in GRADS[s].items():
            params[n].grad = g.clone()
        opt.step()
        for n, p in params.items():
            ref = torch.tensor(ours[s][n]['values']).reshape(p.shape)
            assert torch.allclose(p.detach(), ref, rtol=1e-5, atol=1e-7), (s, n)


check_against_torch()

golden = {
    'torch': torch.__version__,
    'init': {n: enc(t) for n, t in INIT.items()},
    'grads': [{n: enc(g) for n, g in step.items()} for step in GRADS],
    'groups': GROUPS,
    'doWd': DO_WD,
    'cases': cases,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'optim.json')
with open(out, 'w') as f:
    json.dump(golden, f)
print(f'wrote {out}: {len(cases)} cases, {STEPS} steps each (checked against torch.optim.AdamW and SGD)')
