// The page of `owlet serve`: an image in (drop, paste, a file, the camera, an example), the model's
// top labels out, as bars with percentages. It talks to the server's own API only.
const $ = (id) => document.getElementById(id);
const drop = $('drop');
const preview = $('preview');
const video = $('video');
const hint = $('drop-hint');
const fileInput = $('file-input');
const captureInput = $('capture-input');
const status = $('status');
let info = null;
let stream = null;
let previewUrl = null;
let seq = 0;

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const pct = (c) => `${(c * 100).toFixed(c >= 0.995 || c < 0.0005 ? 0 : 1)}%`;

function showLabels(result) {
  $('top-label').textContent = result.label;
  const list = $('labels');
  list.replaceChildren();
  for (const { label, confidence } of result.confidences) {
    const li = document.createElement('li');
    li.className = 'label-row';
    li.dataset.label = label;
    li.dataset.confidence = String(confidence);
    const bar = document.createElement('div');
    bar.className = 'label-bar';
    bar.style.width = `${Math.max(0, Math.min(1, confidence)) * 100}%`;
    const text = document.createElement('div');
    text.className = 'label-text';
    const name = document.createElement('span');
    name.className = 'label-name';
    name.textContent = label;
    const value = document.createElement('span');
    value.className = 'label-pct';
    value.textContent = pct(confidence);
    text.append(name, value);
    li.append(bar, text);
    list.append(li);
  }
}

function clearLabels() {
  $('top-label').textContent = '—';
  $('labels').replaceChildren();
}

function showImage(blob) {
  stopCamera();
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = URL.createObjectURL(blob);
  preview.src = previewUrl;
  preview.hidden = false;
  hint.hidden = true;
}

async function classify(blob) {
  if (!blob) return;
  if (blob.type && !blob.type.startsWith('image/')) {
    setStatus(`That is not an image (${blob.type}): choose a JPEG, PNG, WebP, GIF or BMP file.`, true);
    return;
  }
  showImage(blob);
  const mine = ++seq;
  document.body.dataset.state = 'busy';
  setStatus('Classifying…');
  const started = performance.now();
  try {
    const topk = info ? Math.min(info.numClasses, Math.max(info.topk, 5)) : 5;
    const res = await fetch(`/api/predict?topk=${topk}`, { method: 'POST', body: blob, headers: { 'content-type': blob.type || 'application/octet-stream' } });
    const body = await res.json().catch(() => ({ error: `the server answered ${res.status} without JSON` }));
    if (mine !== seq) return;
    if (!res.ok) throw new Error(body.error || `the server answered ${res.status}`);
    showLabels(body);
    setStatus(`${Math.round(performance.now() - started)} ms`);
    document.body.dataset.state = 'done';
  } catch (e) {
    if (mine !== seq) return;
    clearLabels();
    setStatus(e instanceof Error ? e.message : String(e), true);
    document.body.dataset.state = 'error';
  }
}

function firstImage(files) {
  for (const f of files || []) if (!f.type || f.type.startsWith('image/')) return f;
  return files && files[0];
}

// choosing a file, the phone's camera through <input capture>
fileInput.addEventListener('change', () => classify(firstImage(fileInput.files)));
captureInput.addEventListener('change', () => classify(firstImage(captureInput.files)));
$('pick').addEventListener('click', () => fileInput.click());
drop.addEventListener('click', () => { if (!stream) fileInput.click(); });
drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fileInput.click(); } });

// drag and drop
for (const type of ['dragenter', 'dragover']) drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over'); });
for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); classify(firstImage(e.dataTransfer && e.dataTransfer.files)); });
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

// paste (an image copied to the clipboard, or a copied file)
document.addEventListener('paste', (e) => {
  const items = e.clipboardData ? [...e.clipboardData.items] : [];
  const item = items.find((i) => i.kind === 'file' && i.type.startsWith('image/'));
  if (item) {
    e.preventDefault();
    classify(item.getAsFile());
  }
});

// the camera: live video where the browser gives one (getUserMedia needs https or localhost), else <input capture>
function stopCamera() {
  if (stream) for (const t of stream.getTracks()) t.stop();
  stream = null;
  video.hidden = true;
  $('snap').hidden = true;
}

$('camera').addEventListener('click', async () => {
  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
    captureInput.click();
    return;
  }
  try {
    stopCamera();
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    video.srcObject = stream;
    await video.play();
    video.hidden = false;
    preview.hidden = true;
    hint.hidden = true;
    $('snap').hidden = false;
    setStatus('Point the camera, then take a photo.');
  } catch (e) {
    stopCamera();
    captureInput.click();
  }
});

$('snap').addEventListener('click', () => {
  if (!stream) return;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  canvas.toBlob((blob) => classify(blob), 'image/jpeg', 0.92);
});

$('clear').addEventListener('click', () => {
  seq++;
  stopCamera();
  preview.hidden = true;
  preview.removeAttribute('src');
  hint.hidden = false;
  fileInput.value = '';
  clearLabels();
  setStatus('');
  delete document.body.dataset.state;
});

function showInfo(i) {
  document.title = `${i.name} · owlet serve`;
  $('model-name').textContent = i.name;
  const size = i.inputSize ? `${i.inputSize[0]}×${i.inputSize[1]} px` : 'any size';
  $('model-meta').textContent = `${i.arch || 'custom model'} · ${i.numClasses} classes · ${size}`;
  $('owlet-version').textContent = `owlet ${i.owlet}`;
  const rows = [
    ['model', i.name], ['architecture', i.arch || 'custom'], ['input size', size + (i.resizeMethod ? ` (${i.resizeMethod})` : '')],
    ['classes', i.classes.join(', ')], ['batching', `up to ${i.batching.maxBatch} images, waiting at most ${i.batching.maxWaitMs} ms`],
    ['threads', `${i.threads.libtorch} libtorch, ${i.threads.decode} decoding`], ['largest upload', `${(i.limits.maxBodyBytes / 2 ** 20).toFixed(0)} MB, ${(i.limits.maxPixels / 1e6).toFixed(0)} megapixels`],
  ];
  const dl = $('details');
  dl.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  if (i.examples.length > 0) {
    const grid = $('examples');
    for (const ex of i.examples) {
      const b = document.createElement('button');
      b.type = 'button';
      b.title = ex.name;
      b.dataset.example = ex.name;
      const img = document.createElement('img');
      img.src = ex.url;
      img.alt = ex.name;
      img.loading = 'lazy';
      b.append(img);
      b.addEventListener('click', async () => {
        const res = await fetch(ex.url);
        classify(await res.blob());
      });
      grid.append(b);
    }
    $('examples-panel').hidden = false;
  }
}

fetch('/api/info')
  .then((r) => r.json())
  .then((i) => {
    info = i;
    showInfo(i);
    document.body.dataset.ready = 'true';
  })
  .catch((e) => setStatus(`Cannot reach the server: ${e.message}`, true));
