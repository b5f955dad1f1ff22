// The explore page: loads the lesson's points from the server, then sets up each panel.
import { getJson } from './api.js';
import { manyPanel } from './many-panel.js';
import { quadPanel } from './quad-panel.js';
import { reluPanels } from './relu-panels.js';

async function start() {
  const status = document.getElementById('status');
  try {
    const data = await getJson('/api/data');
    quadPanel(data);
    reluPanels(data);
    manyPanel(data);
    status.textContent = '';
    document.body.dataset.ready = 'true';
  } catch (e) {
    status.textContent = `The page could not start: ${e.message}`;
    status.classList.remove('info');
  }
}

start();
