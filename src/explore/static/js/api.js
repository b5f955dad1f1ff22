// Talking to owlet's server: JSON in, JSON out; a failed request becomes an Error with the server's message.

async function answer(res) {
  let data;
  try {
    data = await res.json();
  } catch {
    throw new Error(`the server answered ${res.status} ${res.statusText} without JSON`);
  }
  if (!res.ok) throw new Error(data && data.error ? data.error : `the server answered ${res.status}`);
  return data;
}

function unreachable(e) {
  if (e && e.name === 'AbortError') return e;
  return new Error(`could not reach owlet's server (${e && e.message ? e.message : e}): is \`owlet explore\` still running?`);
}

export async function getJson(path) {
  let res;
  try {
    res = await fetch(path, { cache: 'no-store' });
  } catch (e) {
    throw unreachable(e);
  }
  return answer(res);
}

export async function postJson(path, body, options = {}) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: options.signal,
    });
  } catch (e) {
    throw unreachable(e);
  }
  return answer(res);
}
