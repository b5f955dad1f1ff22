#!/usr/bin/python3
"""Generate test/golden/nn.json: PyTorch 1.13's nn modules as test/nn.test.ts checks owlet's against.

Run from the repo root with the system Python that has torch:

    /usr/bin/python3 test/golden/make_nn_golden.py

What it records:
  reprs    repr(module) for layers in several configurations and for nested containers
  layers   per case: repr, state-dict keys/shapes/values (owlet loads them with loadStateDict),
           input, output, input gradient and parameter gradients for out.backward(grad_out),
           and the buffers after the forward (BatchNorm's running statistics)
  init     seeded default initialisation of Linear/Conv2d/Embedding and of each torch.nn.init
           function: owlet draws the same numbers from libtorch's generator with the same seed
  losses   each loss (functional form) with its value and input gradient
  load     loadStateDict's error messages and returned keys
  floats   Python's repr(float) for the float printer used in extra_repr

Every case's name is looked up in test/nn.test.ts, which builds the same module in owlet.
Floats are written as the shortest decimal that reads back to the same float32, to keep the
file small; timm's DropPath and LayerNorm2d and fastai's AdaptiveConcatPool2d are copied here
(neither package is a dependency).
"""
import json
import math
import os
import random
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)


# ----------------------------------------------------------------------------------------------
# timm and fastai layers, as in their sources

def drop_path(x, drop_prob: float = 0., training: bool = False, scale_by_keep: bool = True):
    if drop_prob == 0. or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
    if keep_prob > 0.0 and scale_by_keep:
        random_tensor.div_(keep_prob)
    return x * random_tensor


class DropPath(nn.Module):
    def __init__(self, drop_prob: float = 0., scale_by_keep: bool = True):
        super().__init__()
        self.drop_prob = drop_prob
        self.scale_by_keep = scale_by_keep

    def forward(self, x):
        return drop_path(x, self.drop_prob, self.training, self.scale_by_keep)

    def extra_repr(self):
        return f'drop_prob={round(self.drop_prob,3):0.3f}'


class LayerNorm2d(nn.LayerNorm):
    def __init__(self, num_channels, eps=1e-6, affine=True):
        super().__init__(num_channels, eps=eps, elementwise_affine=affine)

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        x = x.permute(0, 3, 1, 2)
        return x


class AdaptiveConcatPool2d(nn.Module):
    def __init__(self, size=None):
        super().__init__()
        self.size = size or 1
        self.ap = nn.AdaptiveAvgPool2d(self.size)
        self.mp = nn.AdaptiveMaxPool2d(self.size)

    def forward(self, x):
        return torch.cat([self.mp(x), self.ap(x)], 1)


# Custom modules that test/nn.test.ts defines the same way.
class Block(nn.Module):
    """A ConvNeXt-like block: own parameter first, then children, a ModuleList and a ModuleDict."""

    def __init__(self, dim):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim) * 0.5)
        self.dwconv = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)
        self.norm = LayerNorm2d(dim)
        self.mlp = nn.ModuleList([nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)])
        self.extra = nn.ModuleDict({'act': nn.SiLU(), 'drop': DropPath(0.)})

    def forward(self, x):
        shortcut = x
        x = self.norm(self.dwconv(x))
        x = x.permute(0, 2, 3, 1)
        for m in self.mlp:
            x = m(x)
        x = x.permute(0, 3, 1, 2) * self.gamma.view(1, -1, 1, 1)
        return shortcut + self.extra['drop'](self.extra['act'](x))


class Net(nn.Module):
    """A small timm-like backbone: stem, stages, and a buffer that is not persistent."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(inplace=True))
        self.stages = nn.Sequential(OrderedDict([('block', Block(4)), ('pool', nn.MaxPool2d(2))]))
        self.register_buffer('scale', torch.tensor([2.0]), persistent=False)

    def forward(self, x):
        return self.stages(self.stem(x)) * self.scale


class Body(nn.Module):
    """fastai's TimmBody, reduced: the backbone is the child `model`."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)


def head(nf, n_out):
    """fastai's create_head(nf, n_out, lin_ftrs=[6]) with PyTorch's Flatten."""
    return nn.Sequential(
        AdaptiveConcatPool2d(), nn.Flatten(), nn.BatchNorm1d(2 * nf), nn.Dropout(0.25),
        nn.Linear(2 * nf, 6, bias=False), nn.ReLU(inplace=True), nn.BatchNorm1d(6), nn.Dropout(0.5),
        nn.Linear(6, n_out, bias=False))


class WithNone(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.register_module('missing', None)
        self.act = nn.ReLU()


# ----------------------------------------------------------------------------------------------
# Encoding

def f32(v):
    """The shortest decimal of a float32, as a JSON number."""
    return float(repr(np.float32(v)))


def enc(t):
    t = t.detach().cpu().contiguous()
    if t.dtype.is_floating_point:
        values = [f32(v) for v in t.float().flatten().tolist()]
        dtype = 'float32' if t.dtype == torch.float32 else str(t.dtype).replace('torch.', '')
    else:
        values = [int(v) for v in t.flatten().tolist()]
        dtype = str(t.dtype).replace('torch.', '')
    return {'shape': list(t.shape), 'dtype': dtype, 'values': values}


def rnd(*shape, lo=-2.0, hi=2.0):
    """Rounded uniform values: exact in float32 and short in JSON."""
    return torch.tensor(np.round(np.random.uniform(lo, hi, size=shape), 3), dtype=torch.float32)


np.random.seed(0)
torch.manual_seed(0)

out = {'torch': torch.__version__}

# ----------------------------------------------------------------------------------------------
# Layers: weights set from rounded random values, forward, backward

LAYERS = [
    # name, module, input shape (or tensor), training, steps
    ('linear', lambda: nn.Linear(5, 3), (4, 5), False, 1),
    ('linear_nobias_3d', lambda: nn.Linear(5, 3, bias=False), (2, 3, 5), False, 1),
    ('conv_basic', lambda: nn.Conv2d(3, 4, 3), (2, 3, 6, 6), False, 1),
    ('conv_stride_pad', lambda: nn.Conv2d(3, 4, (3, 2), stride=2, padding=1, bias=False), (2, 3, 7, 6), False, 1),
    ('conv_dilation_groups', lambda: nn.Conv2d(4, 6, 3, padding=2, dilation=2, groups=2), (1, 4, 6, 6), False, 1),
    ('conv_depthwise_same', lambda: nn.Conv2d(4, 4, 4, padding='same', groups=4), (2, 4, 5, 5), False, 1),
    ('conv_valid', lambda: nn.Conv2d(2, 3, 2, padding='valid'), (1, 2, 4, 3), False, 1),
    ('bn1d_train', lambda: nn.BatchNorm1d(4), (6, 4), True, 1),
    ('bn1d_3d_eval', lambda: nn.BatchNorm1d(3), (2, 3, 5), False, 1),
    ('bn2d_train', lambda: nn.BatchNorm2d(3, momentum=0.2), (2, 3, 4, 4), True, 2),
    ('bn2d_eval', lambda: nn.BatchNorm2d(3, eps=1e-3), (2, 3, 4, 4), False, 1),
    ('bn2d_momentum_none', lambda: nn.BatchNorm2d(3, momentum=None), (2, 3, 3, 3), True, 3),
    ('bn2d_noaffine_notrack', lambda: nn.BatchNorm2d(3, affine=False, track_running_stats=False), (2, 3, 3, 3), False, 1),
    ('layernorm', lambda: nn.LayerNorm(5), (2, 3, 5), False, 1),
    ('layernorm_2dshape_noaffine', lambda: nn.LayerNorm([3, 4], eps=1e-6, elementwise_affine=False), (2, 3, 4), False, 1),
    ('layernorm2d', lambda: LayerNorm2d(4), (2, 4, 3, 3), False, 1),
    ('groupnorm', lambda: nn.GroupNorm(2, 4), (2, 4, 3, 3), False, 1),
    ('dropout_eval', lambda: nn.Dropout(0.3), (4, 5), False, 1),
    ('dropout_train', lambda: nn.Dropout(0.3), (4, 5), True, 1),
    ('droppath_train', lambda: DropPath(0.25), (8, 3, 2, 2), True, 1),
    ('droppath_eval', lambda: DropPath(0.25), (8, 3, 2, 2), False, 1),
    ('relu', lambda: nn.ReLU(), (3, 4), False, 1),
    ('gelu', lambda: nn.GELU(), (3, 4), False, 1),
    ('gelu_tanh', lambda: nn.GELU(approximate='tanh'), (3, 4), False, 1),
    ('silu', lambda: nn.SiLU(), (3, 4), False, 1),
    ('sigmoid', lambda: nn.Sigmoid(), (3, 4), False, 1),
    ('tanh', lambda: nn.Tanh(), (3, 4), False, 1),
    ('leaky_relu', lambda: nn.LeakyReLU(0.2), (3, 4), False, 1),
    ('hardswish', lambda: nn.Hardswish(), (3, 4), False, 1),
    ('softmax', lambda: nn.Softmax(dim=1), (3, 4), False, 1),
    ('log_softmax', lambda: nn.LogSoftmax(dim=-1), (3, 4), False, 1),
    ('identity', lambda: nn.Identity(), (3, 4), False, 1),
    ('flatten', lambda: nn.Flatten(), (2, 3, 2, 2), False, 1),
    ('flatten_0_2', lambda: nn.Flatten(0, 2), (2, 3, 2, 2), False, 1),
    ('maxpool', lambda: nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 7), False, 1),
    ('maxpool_ceil', lambda: nn.MaxPool2d(2, ceil_mode=True), (1, 2, 5, 5), False, 1),
    ('maxpool_dilation', lambda: nn.MaxPool2d((2, 3), stride=(1, 2), dilation=2), (1, 1, 6, 7), False, 1),
    ('avgpool', lambda: nn.AvgPool2d(2), (2, 2, 4, 4), False, 1),
    ('avgpool_pad', lambda: nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), (1, 2, 5, 5), False, 1),
    ('adaptive_avg', lambda: nn.AdaptiveAvgPool2d((2, 3)), (2, 2, 5, 7), False, 1),
    ('adaptive_avg_none', lambda: nn.AdaptiveAvgPool2d((None, 2)), (1, 2, 3, 5), False, 1),
    ('adaptive_max', lambda: nn.AdaptiveMaxPool2d(1), (2, 3, 4, 4), False, 1),
    ('concat_pool', lambda: AdaptiveConcatPool2d(), (2, 3, 4, 4), False, 1),
    ('embedding', lambda: nn.Embedding(10, 3), torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]), False, 1),
    ('embedding_pad', lambda: nn.Embedding(10, 3, padding_idx=0), torch.tensor([[0, 2, 0, 5], [4, 3, 2, 0]]), False, 1),
    ('block', lambda: Block(4), (2, 4, 3, 3), True, 1),
    ('net_head', lambda: nn.Sequential(Body(Net()), head(4, 3)), (4, 3, 8, 8), False, 1),
    ('net_head_train', lambda: nn.Sequential(Body(Net()), nn.Sequential(nn.Flatten(), nn.Linear(16, 3))), (4, 3, 8, 8), True, 1),
]

layers = []
for name, make, shape, training, steps in LAYERS:
    m = make()
    m.train(training)
    with torch.no_grad():
        for k, t in m.state_dict().items():
            if k.endswith('num_batches_tracked'):
                continue
            if k.endswith('running_var'):
                t.copy_(rnd(*t.shape, lo=0.5, hi=2.0))
            else:
                t.copy_(rnd(*t.shape))
    state = [[k, enc(t)] for k, t in m.state_dict().items()]
    x = shape if isinstance(shape, torch.Tensor) else rnd(*shape)
    if x.dtype.is_floating_point:
        x.requires_grad_(True)
    for _ in range(steps - 1):
        with torch.no_grad():
            m(x)
    seed = 1000 + len(layers)
    torch.manual_seed(seed)
    y = m(x)
    g = rnd(*y.shape)
    y.backward(g)
    layers.append({
        'name': name,
        'repr': repr(m),
        'training': training,
        'steps': steps,
        'seed': seed,
        'state': state,
        'input': enc(x),
        'output': enc(y),
        'gradOut': enc(g),
        'inputGrad': enc(x.grad) if x.grad is not None else None,
        'grads': [[k, enc(p.grad)] for k, p in m.named_parameters() if p.grad is not None],
        'buffersAfter': [[k, enc(b)] for k, b in m.named_buffers()],
        'parameterNames': [k for k, _ in m.named_parameters()],
        'moduleNames': [k for k, _ in m.named_modules()],
    })
out['layers'] = layers

# ----------------------------------------------------------------------------------------------
# Reprs only

REPRS = [
    ('relu_inplace', nn.ReLU(inplace=True)),
    ('silu_inplace', nn.SiLU(inplace=True)),
    ('leaky_relu_inplace', nn.LeakyReLU(0.2, inplace=True)),
    ('leaky_relu_default', nn.LeakyReLU()),
    ('dropout_inplace', nn.Dropout(p=0.1, inplace=True)),
    ('dropout_default', nn.Dropout()),
    ('droppath_0', DropPath(0.)),
    ('droppath_0125', DropPath(0.0125)),
    ('droppath_1_3', DropPath(1 / 3)),
    ('bn1d_everything_off', nn.BatchNorm1d(4, momentum=None, affine=False, track_running_stats=False)),
    ('bn2d_eps_momentum', nn.BatchNorm2d(3, eps=1e-3, momentum=0.01)),
    ('bn2d_eps_small', nn.BatchNorm2d(3, eps=1e-4, momentum=0.9)),
    ('layernorm_shape', nn.LayerNorm([3, 4])),
    ('layernorm2d_96', LayerNorm2d(96)),
    ('groupnorm_eps', nn.GroupNorm(1, 6, eps=1e-6, affine=False)),
    ('conv_1x1', nn.Conv2d(8, 16, 1)),
    ('conv_asym', nn.Conv2d(3, 6, (1, 7), stride=(1, 2), padding=(0, 3), dilation=(1, 2), groups=3, bias=False)),
    ('maxpool_default', nn.MaxPool2d(2)),
    ('maxpool_tuple', nn.MaxPool2d((2, 3), stride=(1, 2))),
    ('avgpool_tuple', nn.AvgPool2d((2, 2), stride=1, padding=(1, 0))),
    ('adaptive_avg_none_7', nn.AdaptiveAvgPool2d((None, 7))),
    ('embedding_pad_neg', nn.Embedding(10, 3, padding_idx=-1)),
    ('softmax_neg', nn.Softmax(dim=-1)),
    ('identity', nn.Identity()),
    ('flatten_full', nn.Flatten(0, -1)),
    ('linear_nobias', nn.Linear(3, 4, bias=False)),
    ('modulelist_empty', nn.ModuleList()),
    ('moduledict_empty', nn.ModuleDict()),
    ('sequential_empty', nn.Sequential()),
    ('sequential_named', nn.Sequential(OrderedDict([('stem', nn.Conv2d(3, 8, 3)), ('act', nn.ReLU()), ('pool', AdaptiveConcatPool2d())]))),
    ('modulelist_nested', nn.ModuleList([nn.Sequential(nn.Linear(2, 3), nn.ReLU()),
                                         nn.ModuleDict({'a': nn.Identity(), 'b': nn.ModuleList([nn.Tanh()])}),
                                         nn.Sigmoid()])),
    ('with_none', WithNone()),
    ('cross_entropy', nn.CrossEntropyLoss(label_smoothing=0.1)),
    ('bce_logits', nn.BCEWithLogitsLoss(pos_weight=torch.ones(3))),
    ('mse', nn.MSELoss()),
    ('net_head_repr', nn.Sequential(Body(Net()), head(4, 3))),
]
out['reprs'] = [{'name': n, 'repr': repr(m), 'stateKeys': [[k, list(t.shape)] for k, t in m.state_dict().items()]} for n, m in REPRS]

# ----------------------------------------------------------------------------------------------
# Seeded initialisation

init_cases = []


def record_init(name, seed, fn):
    torch.manual_seed(seed)
    tensors = fn()
    init_cases.append({'name': name, 'seed': seed, 'tensors': [[k, enc(t)] for k, t in tensors]})


record_init('linear_default', 0, lambda: list(nn.Linear(5, 3).state_dict().items()))
record_init('linear_nobias_default', 10, lambda: list(nn.Linear(7, 2, bias=False).state_dict().items()))
record_init('conv_default', 1, lambda: list(nn.Conv2d(4, 6, 3, groups=2).state_dict().items()))
record_init('embedding_default', 2, lambda: list(nn.Embedding(6, 3, padding_idx=1).state_dict().items()))
record_init('kaiming_uniform_fan_out_relu', 3,
            lambda: [('t', nn.init.kaiming_uniform_(torch.empty(4, 5, 3, 3), mode='fan_out', nonlinearity='relu'))])
record_init('kaiming_normal_default', 4, lambda: [('t', nn.init.kaiming_normal_(torch.empty(6, 4)))])
record_init('kaiming_normal_fan_out', 14,
            lambda: [('t', nn.init.kaiming_normal_(torch.empty(6, 4, 2, 2), a=0.1, mode='fan_out'))])
record_init('xavier_uniform_gain2', 5, lambda: [('t', nn.init.xavier_uniform_(torch.empty(5, 7), gain=2.0))])
record_init('xavier_normal', 6, lambda: [('t', nn.init.xavier_normal_(torch.empty(3, 4, 5)))])
record_init('trunc_normal_std002', 7, lambda: [('t', nn.init.trunc_normal_(torch.empty(100), std=0.02))])
record_init('trunc_normal_shifted', 17, lambda: [('t', nn.init.trunc_normal_(torch.empty(50), mean=1.0, std=2.0, a=-1.0, b=3.0))])
record_init('normal', 8, lambda: [('t', nn.init.normal_(torch.empty(10), mean=0.5, std=2.0))])
record_init('uniform', 9, lambda: [('t', nn.init.uniform_(torch.empty(10), a=-1.0, b=2.0))])
record_init('constant', 0, lambda: [('t', nn.init.constant_(torch.empty(3), 0.25))])
record_init('zeros_ones', 0, lambda: [('z', nn.init.zeros_(torch.empty(3))), ('o', nn.init.ones_(torch.empty(2, 2)))])
out['init'] = init_cases
out['gains'] = [[nl, p, nn.init.calculate_gain(nl, p)] for nl, p in
                [('linear', None), ('conv2d', None), ('sigmoid', None), ('tanh', None), ('relu', None),
                 ('leaky_relu', None), ('leaky_relu', 0.2), ('leaky_relu', math.sqrt(5)), ('selu', None)]]

# ----------------------------------------------------------------------------------------------
# Losses (functional forms); args use owlet's option names

logits = rnd(4, 5)
targets = torch.tensor([1, 0, 4, 2])
targets_ignored = torch.tensor([1, -100, 4, 2])
class_weight = rnd(5, lo=0.2, hi=2.0)
probs = torch.softmax(rnd(4, 5), 1)
logits4d = rnd(2, 3, 2, 2)
targets3d = torch.tensor([[[0, 2], [1, 1]], [[2, 0], [-100, 1]]])
reg_in = rnd(3, 4)
reg_tgt = rnd(3, 4)
bin_logits = rnd(3, 4)
bin_tgt = torch.tensor(np.random.randint(0, 2, size=(3, 4)), dtype=torch.float32)
bin_w = rnd(3, 4, lo=0.5, hi=1.5)
pos_w = rnd(4, lo=0.5, hi=3.0)
logp = torch.log_softmax(rnd(4, 5), 1)

LOSSES = [
    # name, owlet function, input, target, args (owlet names), tensors in args, torch call
    ('ce_mean', 'crossEntropy', logits, targets, {}, lambda i, t: F.cross_entropy(i, t)),
    ('ce_sum', 'crossEntropy', logits, targets, {'reduction': 'sum'}, lambda i, t: F.cross_entropy(i, t, reduction='sum')),
    ('ce_none', 'crossEntropy', logits, targets, {'reduction': 'none'}, lambda i, t: F.cross_entropy(i, t, reduction='none')),
    ('ce_smooth', 'crossEntropy', logits, targets, {'labelSmoothing': 0.1}, lambda i, t: F.cross_entropy(i, t, label_smoothing=0.1)),
    ('ce_smooth_sum', 'crossEntropy', logits, targets, {'labelSmoothing': 0.3, 'reduction': 'sum'},
     lambda i, t: F.cross_entropy(i, t, label_smoothing=0.3, reduction='sum')),
    ('ce_weight', 'crossEntropy', logits, targets, {'weight': class_weight}, lambda i, t: F.cross_entropy(i, t, weight=class_weight)),
    ('ce_weight_smooth', 'crossEntropy', logits, targets, {'weight': class_weight, 'labelSmoothing': 0.2},
     lambda i, t: F.cross_entropy(i, t, weight=class_weight, label_smoothing=0.2)),
    ('ce_ignore_default', 'crossEntropy', logits, targets_ignored, {}, lambda i, t: F.cross_entropy(i, t)),
    ('ce_ignore_custom_smooth', 'crossEntropy', logits, targets, {'ignoreIndex': 2, 'labelSmoothing': 0.1},
     lambda i, t: F.cross_entropy(i, t, ignore_index=2, label_smoothing=0.1)),
    ('ce_probs', 'crossEntropy', logits, probs, {}, lambda i, t: F.cross_entropy(i, t)),
    ('ce_probs_smooth', 'crossEntropy', logits, probs, {'labelSmoothing': 0.1}, lambda i, t: F.cross_entropy(i, t, label_smoothing=0.1)),
    ('ce_4d_smooth', 'crossEntropy', logits4d, targets3d, {'labelSmoothing': 0.1}, lambda i, t: F.cross_entropy(i, t, label_smoothing=0.1)),
    ('nll_mean', 'nllLoss', logp, targets, {}, lambda i, t: F.nll_loss(i, t)),
    ('nll_weight_ignore', 'nllLoss', logp, targets, {'weight': class_weight, 'ignoreIndex': 0},
     lambda i, t: F.nll_loss(i, t, weight=class_weight, ignore_index=0)),
    ('mse_mean', 'mseLoss', reg_in, reg_tgt, {}, lambda i, t: F.mse_loss(i, t)),
    ('mse_sum', 'mseLoss', reg_in, reg_tgt, {'reduction': 'sum'}, lambda i, t: F.mse_loss(i, t, reduction='sum')),
    ('mse_none', 'mseLoss', reg_in, reg_tgt, {'reduction': 'none'}, lambda i, t: F.mse_loss(i, t, reduction='none')),
    ('l1_mean', 'l1Loss', reg_in, reg_tgt, {}, lambda i, t: F.l1_loss(i, t)),
    ('smooth_l1_beta', 'smoothL1Loss', reg_in, reg_tgt, {'beta': 0.5}, lambda i, t: F.smooth_l1_loss(i, t, beta=0.5)),
    ('huber_delta', 'huberLoss', reg_in, reg_tgt, {'delta': 0.7}, lambda i, t: F.huber_loss(i, t, delta=0.7)),
    ('bce_logits', 'binaryCrossEntropyWithLogits', bin_logits, bin_tgt, {}, lambda i, t: F.binary_cross_entropy_with_logits(i, t)),
    ('bce_logits_weights', 'binaryCrossEntropyWithLogits', bin_logits, bin_tgt, {'weight': bin_w, 'posWeight': pos_w},
     lambda i, t: F.binary_cross_entropy_with_logits(i, t, weight=bin_w, pos_weight=pos_w)),
    ('bce_probs', 'binaryCrossEntropy', torch.sigmoid(bin_logits), bin_tgt, {'weight': bin_w},
     lambda i, t: F.binary_cross_entropy(i, t, weight=bin_w)),
    ('kl_batchmean', 'klDiv', logp, probs, {'reduction': 'batchmean'}, lambda i, t: F.kl_div(i, t, reduction='batchmean')),
]

losses = []
for name, fn, inp, tgt, args, call in LOSSES:
    x = inp.detach().clone().requires_grad_(True)
    y = call(x, tgt)
    y.sum().backward()
    losses.append({
        'name': name, 'fn': fn,
        'input': enc(x), 'target': enc(tgt),
        'args': {k: (enc(v) if isinstance(v, torch.Tensor) else v) for k, v in args.items()},
        'output': enc(y), 'inputGrad': enc(x.grad),
    })
out['losses'] = losses

# ----------------------------------------------------------------------------------------------
# loadStateDict: error messages and returned keys

load_cases = []


def record_load(name, make, sd, strict=True):
    m = make()
    case = {'name': name, 'strict': strict, 'state': [[k, enc(v)] for k, v in sd.items()]}
    try:
        r = m.load_state_dict(dict(sd), strict=strict)
        case['missingKeys'] = list(r.missing_keys)
        case['unexpectedKeys'] = list(r.unexpected_keys)
    except RuntimeError as e:
        case['error'] = str(e)
    load_cases.append(case)


record_load('linear_all_wrong', lambda: nn.Linear(3, 4),
            OrderedDict([('weight', torch.zeros(3, 4)), ('foo', torch.zeros(1))]))
record_load('nested', lambda: nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)),
            OrderedDict([('0.weight', torch.zeros(2, 2)), ('0.bias', torch.zeros(3)), ('1.weight', torch.zeros(2)),
                         ('1.bias', torch.zeros(2)), ('1.running_mean', torch.zeros(2)), ('1.extra.x', torch.zeros(1)),
                         ('2.weight', torch.zeros(1)), ('0.weight.x', torch.zeros(1))]))
record_load('not_strict', lambda: nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)),
            OrderedDict([('0.weight', torch.ones(2, 2)), ('1.bias', torch.ones(2)), ('zzz', torch.zeros(1))]), strict=False)
record_load('not_strict_size_mismatch', lambda: nn.Linear(2, 2),
            OrderedDict([('weight', torch.ones(2, 3))]), strict=False)
record_load('bn_without_num_batches_tracked', lambda: nn.BatchNorm1d(2),
            OrderedDict([('weight', torch.ones(2)), ('bias', torch.ones(2)), ('running_mean', torch.ones(2)),
                         ('running_var', torch.ones(2))]))
out['load'] = load_cases

# ----------------------------------------------------------------------------------------------
# Python's float repr

random.seed(0)
floats = [0.0, -0.0, 1.0, -1.0, 0.1, 0.25, 1e-5, 1e-6, 1e-3, 1e-4, 0.00011, 1e-05 * 3, 123.456, 1e15, 1e16, 1.5e16,
          9999999999999998.0, 1e22, 1e-300, 5e-324, 1 / 3, 2 / 3, 0.9, 100.0, 12345678.9, 0.30000000000000004,
          math.pi, -math.e, 1e-7, 2.5e-5, 6.02e23, 1.7976931348623157e308, 0.01, 0.0001, 0.001]
for _ in range(200):
    floats.append(random.uniform(-1, 1) * 10 ** random.randint(-12, 20))
for _ in range(50):
    floats.append(float(np.float32(random.uniform(0, 1))))
out['floats'] = [[x, repr(x)] for x in floats]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'nn.json')
with open(path, 'w') as f:
    json.dump(out, f, separators=(',', ':'))
    f.write('\n')
print(f'wrote {path}: {len(layers)} layers, {len(out["reprs"])} reprs, {len(init_cases)} inits, '
      f'{len(losses)} losses, {len(load_cases)} load cases, {os.path.getsize(path)} bytes')
