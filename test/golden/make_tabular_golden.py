# The expected state of owlet's tabular processors on examples/titanic/data/train.csv, computed with
# pandas as fastai's Categorify, FillMissing and Normalize compute it (fastai/tabular/core.py): on the
# training rows of RandomSplitter(seed=42) (torch.manual_seed(42), torch.randperm(n), the first
# int(0.2*n) rows are the validation set), FillMissing's median of each continuous column with
# missing values and its `<col>_na` column; Categorify's vocabulary ('#na#' then the sorted values);
# Normalize's mean and std (ddof 0, plus 1e-7) after the fill. Also the first encoded rows of the
# validation set. Run from the repository root:
#   /usr/bin/python3 test/golden/make_tabular_golden.py > test/golden/tabular.json
import json, numpy as np, pandas as pd, torch
df = pd.read_csv('examples/titanic/data/train.csv')
df['LogFare'] = np.log1p(df['Fare'])
cat_names = ['Sex', 'Pclass', 'Embarked', 'Country']
cont_names = ['Age', 'SibSp', 'Parch', 'LogFare']
torch.manual_seed(42)
idx = torch.randperm(len(df)).tolist()
cut = int(0.2 * len(df))
train, valid = df.iloc[idx[cut:]].copy(), df.iloc[idx[:cut]].copy()
na_dict = {n: float(train[n].median()) for n in cont_names if train[n].isna().any()}
for d in (train, valid):
    for n in cont_names:
        if n in na_dict:
            d[n + '_na'] = d[n].isna()
            d[n] = d[n].fillna(na_dict[n])
cats = cat_names + [n + '_na' for n in cont_names if n in na_dict]
def text(v): return str(v)
classes = {n: ['#na#'] + [text(v) for v in sorted(train[n].dropna().unique())] for n in cats}
means = {n: float(train[n].mean()) for n in cont_names}
stds = {n: float(train[n].std(ddof=0) + 1e-7) for n in cont_names}
rows = []
for _, r in valid.head(5).iterrows():
    codes = [classes[n].index(text(r[n])) if not pd.isna(r[n]) and text(r[n]) in classes[n] else 0 for n in cats]
    conts = [(float(r[n]) - means[n]) / stds[n] for n in cont_names]
    rows.append(codes + conts)
print(json.dumps({'catNames': cats, 'contNames': cont_names, 'naDict': na_dict, 'classes': classes, 'means': means, 'stds': stds,
                  'nTrain': len(train), 'nValid': len(valid), 'validRows': rows}, indent=1))
