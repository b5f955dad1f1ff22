// The page: loads the model with onnxruntime-web (WebAssembly, CPU, served from ./ort/), prepares
// images as owlet does (preprocess.js) and shows the top labels. `window.owlet` is its API for
// scripts and tests: `ready`, `classify(blob)`, `infer(Float32Array, n)`, `info`.
import * as ort from './ort/ort.wasm.bundle.min.mjs';
import { decodeToRgb, toInput } from './preprocess.js';

const $ = (id) => document.getElementById(id);

// Only the binary's place: the bundle carries its own JavaScript glue.
ort.env.wasm.wasmPaths = { wasm: new URL('./ort/ort-wasm-simd-threaded.wasm', import.meta.url).href };
// Threads need a cross-origin-isolated page (COOP/COEP headers); a plain static server gives one
// thread. `?threads=N` asks for N.
const asked = Number(new URLSearchParams(location.search).get('threads'));
ort.env.wasm.numThreads = asked > 0 ? asked : globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;

function softmax(logits) {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

async function start() {
  const info = await (await fetch('./model.json')).json();
  const session = await ort.InferenceSession.create('./model.onnx', { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const [, c, h, w] = [0, ...info.inputSize];
  /** Runs the model on n prepared images (Float32Array [n, 3, h, w]); returns the logits, n rows. */
  async function infer(data, n) {
    const out = await session.run({ input: new ort.Tensor('float32', data, [n, c, h, w]) });
    const logits = out.logits.data;
    const k = logits.length / n;
    return Array.from({ length: n }, (_, i) => Array.from(logits.subarray(i * k, (i + 1) * k)));
  }
  /** One image (a Blob): the label, the probabilities in the vocabulary's order, and the time taken. */
  async function classify(blob) {
    const t0 = performance.now();
    const x = toInput(await decodeToRgb(blob), info.pipeline);
    const [logits] = await infer(x.data, 1);
    const probs = softmax(logits);
    let index = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[index]) index = i;
    return { label: info.labels[index], index, probs, ms: performance.now() - t0 };
  }
  return { info, infer, classify };
}

function show(result, url) {
  $('preview').src = url;
  $('preview').hidden = false;
  const top = result.probs.map((p, i) => [p, window.owlet.info.labels[i]]).sort((a, b) => b[0] - a[0]).slice(0, 5);
  $('results').replaceChildren(...top.map(([p, label], i) => {
    const li = document.createElement('li');
    li.className = i === 0 ? 'top' : '';
    li.innerHTML = '<span class="label"></span><span class="bar"><span></span></span><span class="pct"></span>';
    li.querySelector('.label').textContent = label;
    li.querySelector('.bar span').style.width = `${(p * 100).toFixed(1)}%`;
    li.querySelector('.pct').textContent = `${(p * 100).toFixed(1)}%`;
    return li;
  }));
  $('timing').textContent = `${result.ms.toFixed(0)} ms in this browser`;
}

async function handle(file) {
  if (!file) return;
  $('error').textContent = '';
  try {
    const result = await window.owlet.classify(file);
    show(result, URL.createObjectURL(file));
  } catch (e) {
    $('error').textContent = `Could not classify ${file.name ?? 'this file'}: ${e.message ?? e}. Is it an image (JPEG, PNG, WebP, GIF)?`;
  }
}

const ready = start().then((api) => {
  window.owlet = { ...window.owlet, ...api };
  const { info } = api;
  $('title').textContent = info.arch;
  $('meta').textContent = `${info.labels.length} classes · input ${info.inputSize[1]}×${info.inputSize[2]} · owlet ${info.owletVersion}`;
  $('classes').textContent = info.labels.join(', ');
  $('status').textContent = 'Ready: drop, paste or pick an image.';
  document.body.classList.add('ready');
  return api;
}).catch((e) => {
  $('status').textContent = `The model could not be loaded: ${e.message ?? e}. Serve this folder over http (not file://).`;
  throw e;
});
window.owlet = { ready };

$('file').addEventListener('change', (e) => handle(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); handle(e.dataTransfer.files[0]); });
window.addEventListener('paste', (e) => handle([...e.clipboardData.files][0]));
