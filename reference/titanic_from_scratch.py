# The course's "Linear model and neural net from scratch" (fastai course notebook 05) on
# examples/titanic/data: cleaning, a linear model by hand, with a sigmoid, as a matrix product, one
# hidden layer, a deeper net, and a submission. owlet's examples/titanic/from-scratch.ts prints the
# same lines; test/tabular-scratch.test.ts compares them number for number.
#   /usr/bin/python3 reference/titanic_from_scratch.py [data folder] [submission.csv]
# The only changes from the notebook: this data's Embarked has a fourth port (B, Belfast), so the
# dummies have Embarked_B too; RandomSplitter(seed=42) is written out as fastai does it
# (torch.manual_seed(42), torch.randperm(n), the first int(0.2*n) are the validation set); the
# printing is 4 decimals throughout.
import sys, os
import numpy as np, pandas as pd, torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'examples', 'titanic', 'data')
sub_file = sys.argv[2] if len(sys.argv) > 2 else None
f4 = lambda x: f"{float(x):.4f}"

df = pd.read_csv(os.path.join(data, 'train.csv'))
print('missing:', ', '.join(f"{k}={v}" for k, v in df.isna().sum().items() if v > 0))
modes = df.mode().iloc[0]
print('modes:', ', '.join(f"{k}={modes[k]}" for k in ['Age', 'SibSp', 'Parch', 'Fare', 'Embarked']))
df.fillna(modes, inplace=True)
df['LogFare'] = np.log(df['Fare'] + 1)
df = pd.get_dummies(df, columns=["Sex", "Pclass", "Embarked"])
added_cols = ['Sex_male', 'Sex_female', 'Pclass_1', 'Pclass_2', 'Pclass_3', 'Embarked_B', 'Embarked_C', 'Embarked_Q', 'Embarked_S']
indep_cols = ['Age', 'SibSp', 'Parch', 'LogFare'] + added_cols
t_dep = torch.tensor(df.Survived)
t_indep = torch.tensor(df[indep_cols].values, dtype=torch.float)
print('t_indep:', list(t_indep.shape))

torch.manual_seed(442)
n_coeff = t_indep.shape[1]
coeffs = torch.rand(n_coeff) - 0.5
vals, indices = t_indep.max(dim=0)
print('max:', ' '.join(f4(v) for v in vals))
t_indep = t_indep / vals
print('coeffs:', ' '.join(f4(c) for c in coeffs))

def calc_preds(coeffs, indeps): return (indeps * coeffs).sum(axis=1)
def calc_loss(coeffs, indeps, deps): return torch.abs(calc_preds(coeffs, indeps) - deps).mean()
coeffs.requires_grad_()
loss = calc_loss(coeffs, t_indep, t_dep)
print('loss:', f4(loss))
loss.backward()
print('grad:', ' '.join(f4(g) for g in coeffs.grad))
with torch.no_grad():
    coeffs.sub_(coeffs.grad * 0.1)
    coeffs.grad.zero_()
    print('loss after one step:', f4(calc_loss(coeffs, t_indep, t_dep)))

# fastai's RandomSplitter(seed=42)
torch.manual_seed(42)
rand_idx = torch.randperm(len(df))
cut = int(0.2 * len(df))
trn_split, val_split = rand_idx[cut:], rand_idx[:cut]
print('split:', len(trn_split), len(val_split))
trn_indep, val_indep = t_indep[trn_split], t_indep[val_split]
trn_dep, val_dep = t_dep[trn_split], t_dep[val_split]

def update_coeffs(coeffs, lr):
    coeffs.sub_(coeffs.grad * lr)
    coeffs.grad.zero_()

def one_epoch(coeffs, lr, losses):
    loss = calc_loss(coeffs, trn_indep, trn_dep)
    loss.backward()
    with torch.no_grad(): update_coeffs(coeffs, lr)
    losses.append(f4(loss))

def init_coeffs(): return (torch.rand(n_coeff) - 0.5).requires_grad_()

def train_model(epochs=30, lr=0.01):
    torch.manual_seed(442)
    coeffs = init_coeffs()
    losses = []
    for i in range(epochs): one_epoch(coeffs, lr=lr, losses=losses)
    print('losses:', '; '.join(losses))
    return coeffs

def acc(coeffs): return (val_dep.bool() == (calc_preds(coeffs, val_indep) > 0.5)).float().mean()

print('== linear, 18 epochs, lr 0.2')
coeffs = train_model(18, lr=0.2)
print('coeffs:', ', '.join(f"{k}={f4(v)}" for k, v in zip(indep_cols, coeffs.requires_grad_(False))))
print('accuracy linear:', f4(acc(coeffs)))

print('== sigmoid, 30 epochs, lr 100')
def calc_preds(coeffs, indeps): return torch.sigmoid((indeps * coeffs).sum(axis=1))
coeffs = train_model(lr=100)
print('accuracy sigmoid:', f4(acc(coeffs)))

tst_df = pd.read_csv(os.path.join(data, 'test.csv'))
tst_df['Fare'] = tst_df.Fare.fillna(0)
tst_df.fillna(modes, inplace=True)
tst_df['LogFare'] = np.log(tst_df['Fare'] + 1)
tst_df = pd.get_dummies(tst_df, columns=["Sex", "Pclass", "Embarked"])
tst_indep = torch.tensor(tst_df[indep_cols].values, dtype=torch.float)
tst_indep = tst_indep / vals
tst_df['Survived'] = (calc_preds(coeffs, tst_indep) > 0.5).int()
sub_df = tst_df[['PassengerId', 'Survived']]
if sub_file: sub_df.to_csv(sub_file, index=False)
print('submission:', len(sub_df), 'rows,', int(sub_df.Survived.sum()), 'survive')

print('== matrix product, 30 epochs, lr 100')
print('matrix product equals the sum:', bool(torch.allclose((val_indep * coeffs).sum(axis=1), val_indep @ coeffs)))
def calc_preds(coeffs, indeps): return torch.sigmoid(indeps @ coeffs)
def init_coeffs(): return (torch.rand(n_coeff, 1) * 0.1).requires_grad_()
trn_dep = trn_dep[:, None]
val_dep = val_dep[:, None]
coeffs = train_model(lr=100)
print('accuracy matrix:', f4(acc(coeffs)))

print('== one hidden layer of 20')
def init_coeffs(n_hidden=20):
    layer1 = (torch.rand(n_coeff, n_hidden) - 0.5) / n_hidden
    layer2 = torch.rand(n_hidden, 1) - 0.3
    const = torch.rand(1)[0]
    return layer1.requires_grad_(), layer2.requires_grad_(), const.requires_grad_()

def calc_preds(coeffs, indeps):
    l1, l2, const = coeffs
    res = F.relu(indeps @ l1)
    res = res @ l2 + const
    return torch.sigmoid(res)

def update_coeffs(coeffs, lr):
    for layer in coeffs:
        layer.sub_(layer.grad * lr)
        layer.grad.zero_()

coeffs = train_model(lr=1.4)
print('accuracy hidden lr 1.4:', f4(acc(coeffs)))
coeffs = train_model(lr=20)
print('accuracy hidden lr 20:', f4(acc(coeffs)))

print('== deep: hidden layers 10, 10')
def init_coeffs():
    hiddens = [10, 10]
    sizes = [n_coeff] + hiddens + [1]
    n = len(sizes)
    layers = [(torch.rand(sizes[i], sizes[i + 1]) - 0.3) / sizes[i + 1] * 4 for i in range(n - 1)]
    consts = [(torch.rand(1)[0] - 0.5) * 0.1 for i in range(n - 1)]
    for l in layers + consts: l.requires_grad_()
    return layers, consts

def calc_preds(coeffs, indeps):
    layers, consts = coeffs
    n = len(layers)
    res = indeps
    for i, l in enumerate(layers):
        res = res @ l + consts[i]
        if i != n - 1: res = F.relu(res)
    return torch.sigmoid(res)

def update_coeffs(coeffs, lr):
    layers, consts = coeffs
    for layer in layers + consts:
        layer.sub_(layer.grad * lr)
        layer.grad.zero_()

coeffs = train_model(lr=4)
print('accuracy deep:', f4(acc(coeffs)))
