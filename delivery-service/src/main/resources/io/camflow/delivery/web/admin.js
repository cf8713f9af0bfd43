// The admin page (#/admin, for callers /api/v1/me calls admin): cameras with their streams, state and last
// error; add, edit and remove a camera and its streams; who may watch a camera, grant and revoke; who is
// watching now (viewer sessions of this delivery instance), with a Disconnect button each.
// Camera passwords are write-only: never shown; on edit an empty password field keeps the stored one
// (the field is left out of the request). The server decides everything; the page shows its answers,
// 400 errors next to the fields they name.

import { api, failure, cameraPath, accessPath } from './api.js';
import { el } from './player-box.js';

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const CAMERA_SETTINGS = ['dvrRetention', 'dvrMaxSize']; // writable, not in the form: sent back as read
const STREAM_SETTINGS = ['idleGrace', 'readTimeout'];
const TLS_SETTINGS = ['tlsVerify', 'tlsFingerprint']; // rtsps:// only: dropped when the URL is no longer rtsps

/** The fields of object named in keys that are set. */
const pick = (object, keys) => Object.fromEntries(keys.filter((k) => object[k] !== undefined && object[k] !== null)
  .map((k) => [k, object[k]]));

export function renderAdmin(container) {
  const listStatus = el('p', { id: 'admin-cameras-status', role: 'status' }, 'Loading cameras…');
  const list = el('div', { id: 'admin-cameras', class: 'admin-list' });
  const formHolder = el('div', { id: 'admin-form-holder' });
  const access = accessPanel();
  const sessions = sessionsPanel();
  const addButton = el('button', { type: 'button', id: 'admin-add', onclick: () => showForm(null) }, 'Add camera');
  container.replaceChildren(
    el('section', { class: 'admin-section' }, el('div', { class: 'section-head' }, el('h2', {}, 'Cameras'), addButton),
      listStatus, list, formHolder),
    access.element,
    sessions.element,
  );

  async function load() {
    const answer = await api('GET', 'cameras');
    if (answer.status === 404 || answer.status === 405) {
      listStatus.dataset.state = 'unavailable';
      listStatus.textContent = `This server does not offer the camera API yet (GET /api/v1/cameras: HTTP ${answer.status}). `
        + 'Cameras come from its configuration file; access can be managed below.';
      list.replaceChildren();
      return [];
    }
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      listStatus.dataset.state = 'error';
      listStatus.textContent = `Cannot load the cameras (${failure(answer)}).`;
      return [];
    }
    listStatus.dataset.state = 'ready';
    listStatus.textContent = answer.body.length ? `${answer.body.length} camera(s)` : 'No cameras yet.';
    list.replaceChildren(...answer.body.map(cameraCard));
    return answer.body.map((c) => c.id);
  }

  function cameraCard(camera) {
    const fromFile = camera.source === 'file'; // config/camflow.yaml's: read-only here (409 on change)
    const streams = (camera.streams ?? []).map((s) => el('li', { dataset: { stream: s.name, state: s.state ?? '' } },
      el('strong', {}, s.name), ' ',
      el('span', { class: `badge state-${s.state ?? 'unknown'}` }, s.state ?? 'unknown'),
      ' ', [s.codec, s.width && s.height ? `${s.width}×${s.height}` : null, s.fps ? `${Math.round(s.fps)} fps` : null,
        s.bitrateKbps ? `${Math.round(s.bitrateKbps)} kbit/s` : null, s.mode].filter(Boolean).join(' · '),
      s.lastError ? el('div', { class: 'last-error' }, `last error: ${s.lastError}`) : null));
    return el('article', { class: 'camera-card', dataset: { camera: camera.id } },
      el('div', { class: 'section-head' }, el('h3', {}, camera.id),
        el('span', { class: 'actions' },
          el('a', { href: `#/watch/${camera.id}/${camera.streams?.[0]?.name ?? 'main'}` }, 'Watch'),
          fromFile ? el('span', { class: 'badge', title: 'change it in config/camflow.yaml' }, 'config file') : null,
          fromFile ? null : el('button', { type: 'button', onclick: () => showForm(camera) }, 'Edit'),
          el('button', { type: 'button', onclick: () => access.show(camera.id) }, 'Access'),
          fromFile ? null : el('button', { type: 'button', class: 'danger', onclick: () => remove(camera.id) }, 'Remove'))),
      camera.lastError ? el('div', { class: 'last-error' }, `last error: ${camera.lastError}`) : null,
      el('ul', { class: 'streams' }, streams));
  }

  async function remove(id) {
    if (!confirm(`Remove camera ${id} and all its streams?`)) {
      return;
    }
    const answer = await api('DELETE', cameraPath(id));
    listStatus.textContent = answer.status >= 200 && answer.status < 300 ? `Camera ${id} removed.`
      : `Cannot remove ${id} (${failure(answer)}).`;
    await load();
  }

  async function showForm(camera) {
    let details = camera;
    if (camera) { // the single camera may say more than the list (source URL, user, transport, mode)
      const answer = await api('GET', cameraPath(camera.id));
      if (answer.status === 200 && answer.body?.id === camera.id) {
        details = answer.body;
      }
    }
    const form = cameraForm(details, async () => {
      formHolder.replaceChildren();
      await load();
    }, () => formHolder.replaceChildren());
    formHolder.replaceChildren(form);
    form.querySelector('input')?.focus();
  }

  load().then((ids) => access.show(ids.includes('demo') || !ids.length ? 'demo' : ids[0]));
  return {
    destroy: () => {
      sessions.stop();
      container.replaceChildren();
    },
  };
}

/** The add/edit form; onSaved after a 2xx, onCancel on Cancel. */
function cameraForm(camera, onSaved, onCancel) {
  const editing = Boolean(camera);
  const message = el('div', { class: 'form-message', role: 'alert' });
  const id = el('input', { name: 'id', 'data-field': 'id', required: true, pattern: NAME.source.slice(1, -1),
    placeholder: 'garage', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', readonly: editing });
  id.value = camera?.id ?? '';
  const streams = el('div', { class: 'stream-rows' });
  const addStream = (s) => streams.append(streamRow(s, editing && Boolean(s)));
  (camera?.streams?.length ? camera.streams : [null]).forEach(addStream);
  const form = el('form', { id: 'camera-form', class: 'camera-form', novalidate: true },
    el('h3', {}, editing ? `Edit ${camera.id}` : 'Add a camera'),
    field('Camera id', id, 'id'),
    streams,
    el('div', { class: 'form-buttons' },
      el('button', { type: 'button', onclick: () => addStream(null) }, 'Add stream'),
      el('span', { class: 'spacer' }),
      el('button', { type: 'button', onclick: onCancel }, 'Cancel'),
      el('button', { type: 'submit', class: 'primary' }, editing ? 'Save' : 'Add camera')),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    message.textContent = '';
    // settings the form does not show (dvrRetention, dvrMaxSize, a stream's idleGrace, readTimeout) go back as read,
    // so an edit does not reset them; only writable fields are sent
    const stored = (name, url) => pick(camera?.streams?.find((s) => s.name === name) ?? {},
      /^rtsps:/i.test(url ?? '') ? [...STREAM_SETTINGS, ...TLS_SETTINGS] : STREAM_SETTINGS);
    const body = {
      ...pick(camera ?? {}, CAMERA_SETTINGS),
      id: id.value.trim(),
      streams: [...streams.children].map((row) => ({ ...stored(row.read().name, row.read().url), ...row.read() })),
    };
    const answer = editing ? await api('PUT', cameraPath(body.id), body) : await api('POST', 'cameras', body);
    if (answer.status >= 200 && answer.status < 300) {
      onSaved();
      return;
    }
    if (answer.status === 400 && Array.isArray(answer.body?.errors)) {
      const unplaced = [];
      for (const error of answer.body.errors) {
        const input = form.querySelector(`[data-field="${CSS.escape(error.field ?? '')}"]`);
        const slot = form.querySelector(`[data-error-for="${CSS.escape(error.field ?? '')}"]`);
        if (input && slot) {
          input.setAttribute('aria-invalid', 'true');
          slot.textContent = error.message;
        } else {
          unplaced.push(`${error.field ?? 'request'}: ${error.message}`);
        }
      }
      message.textContent = unplaced.length ? unplaced.join('; ') : 'Please correct the marked fields.';
    } else if (answer.status === 404 || answer.status === 405) {
      message.textContent = `This server cannot ${editing ? 'change' : 'add'} cameras yet (HTTP ${answer.status}).`;
    } else if (answer.status === 409) {
      message.textContent = `A camera ${body.id} exists already.`;
    } else {
      message.textContent = `Not saved (${failure(answer)}).`;
    }
  });
  // indexes in field names follow the rows' order, also after a row is removed
  streams.renumber = () => [...streams.children].forEach((row, i) => row.renumber(i));
  new MutationObserver(() => streams.renumber()).observe(streams, { childList: true });
  streams.renumber();
  return form;
}

/** One stream's fields. keepPassword: editing a stored stream, whose password an empty field keeps. */
function streamRow(stream, keepPassword) {
  const input = (name, attributes = {}) => {
    const i = el('input', { name, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', ...attributes });
    i.value = stream?.[name] ?? '';
    return i;
  };
  const name = input('name', { required: true, placeholder: 'main' });
  const url = input('url', { required: true, placeholder: 'rtsp://192.0.2.10:554/stream1', type: 'url' });
  const username = input('username', { placeholder: 'optional' });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'new-password',
    placeholder: !keepPassword ? 'optional' : stream?.passwordSet === false ? 'none stored' : 'unchanged' }); // write-only
  const select = (fieldName, options, value) => el('select', { name: fieldName },
    options.map((o) => el('option', { value: o, selected: o === value }, o)));
  const transport = select('transport', ['tcp', 'udp'], stream?.transport ?? 'tcp');
  const mode = select('mode', ['always', 'on-demand'], stream?.mode ?? 'always');
  const inputs = { name, url, username, password, transport, mode };
  const labels = { name: 'Stream', url: 'RTSP URL', username: 'User', password: 'Password', transport: 'Transport', mode: 'Mode' };
  const fields = Object.entries(inputs).map(([key, control]) => field(labels[key], control, key));
  const row = el('fieldset', { class: 'stream-row' }, el('legend', {}, 'Stream'), ...fields,
    el('button', { type: 'button', class: 'remove-stream', onclick: () => row.remove() }, 'Remove stream'));
  row.renumber = (i) => {
    for (const [key, control] of Object.entries(inputs)) {
      control.dataset.field = `streams[${i}].${key}`;
      control.closest('.field').querySelector('.field-error').dataset.errorFor = `streams[${i}].${key}`;
    }
  };
  row.read = () => {
    const out = { name: name.value.trim(), url: url.value.trim(), transport: transport.value, mode: mode.value };
    if (username.value.trim()) {
      out.username = username.value.trim();
    }
    if (password.value) { // empty: keep the stored one (edit) or none (add)
      out.password = password.value;
    }
    return out;
  };
  return row;
}

function field(label, control, key) {
  const error = el('small', { class: 'field-error', 'data-error-for': key, 'aria-live': 'polite' });
  return el('label', { class: 'field' }, el('span', {}, label), control, error);
}

const ACTION_TITLES = { live: 'Live view', dvr: 'DVR playback', publish: 'Publishing (RTSP push)' };

/** Who may watch a camera; grant and revoke (these calls exist independently of the camera API). */
function accessPanel() {
  const camera = el('input', { id: 'access-camera', placeholder: 'camera id', value: 'demo', autocomplete: 'off',
    autocapitalize: 'none', spellcheck: 'false' });
  const status = el('p', { id: 'access-status', role: 'status' });
  const lists = el('div', { id: 'access-lists', class: 'access-lists' });
  const user = el('input', { id: 'grant-user', placeholder: 'username', autocomplete: 'off', autocapitalize: 'none' });
  const action = el('select', { id: 'grant-action' }, el('option', { value: 'live' }, 'live'), el('option', { value: 'dvr' }, 'dvr'),
    el('option', { value: 'publish' }, 'publish'));
  const grant = el('form', { id: 'grant-form', class: 'inline-form' }, user, action, el('button', { type: 'submit' }, 'Grant'));
  const form = el('form', { class: 'inline-form' }, camera, el('button', { type: 'submit' }, 'Show access'));
  const element = el('section', { class: 'admin-section', id: 'access' }, el('h2', {}, 'Access'), form, status, lists, grant);

  async function show(id = camera.value.trim()) {
    camera.value = id;
    if (!NAME.test(id)) {
      status.textContent = 'A camera id is lowercase letters, digits, - and _.';
      return;
    }
    status.textContent = `Loading access to ${id}…`;
    const answer = await api('GET', accessPath(id));
    if (answer.status !== 200) {
      status.dataset.state = 'error';
      status.textContent = answer.status === 404 || answer.status === 405
        ? `This server cannot tell who may watch ${id} (HTTP ${answer.status}).`
        : `Cannot load access to ${id} (${failure(answer)}).`;
      lists.replaceChildren();
      return;
    }
    status.dataset.state = 'ready';
    status.textContent = `Who may watch ${id}:`;
    lists.replaceChildren(...['live', 'dvr', 'publish'].map((act) => {
      const users = answer.body?.[act]?.users ?? [];
      const groups = answer.body?.[act]?.groups ?? [];
      return el('div', { class: 'access-list', dataset: { action: act } }, el('h3', {}, ACTION_TITLES[act]),
        el('ul', {},
          users.map((u) => el('li', { dataset: { user: u } }, `user ${u} `,
            el('button', { type: 'button', onclick: () => change('DELETE', id, act, 'users', u) }, 'Revoke'))),
          groups.map((g) => el('li', { dataset: { group: g } }, `group ${g} `,
            el('button', { type: 'button', onclick: () => change('DELETE', id, act, 'groups', g) }, 'Revoke'))),
          users.length || groups.length ? null : el('li', {}, 'nobody but admins')));
    }));
  }

  async function change(method, id, act, kind, name) {
    if (method === 'DELETE' && !confirm(`Revoke ${act} access to ${id} for ${kind === 'users' ? 'user' : 'group'} ${name}?`)) {
      return;
    }
    const answer = await api(method, accessPath(id, act, kind, name));
    if (answer.status >= 200 && answer.status < 300) {
      await show(id);
      status.textContent = `${method === 'PUT' ? 'Granted' : 'Revoked'} ${act} for ${name}. ${status.textContent}`;
    } else {
      status.dataset.state = 'error';
      status.textContent = `Not changed (${failure(answer)}).`;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  grant.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = user.value.trim();
    if (name) {
      change('PUT', camera.value.trim(), action.value, 'users', name);
    }
  });
  return { element, show };
}

const REFRESH_MS = 5000;

/** A byte count as people read it. */
function bytes(n) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

/** Who is watching now (GET /api/v1/sessions, refreshed every few seconds); Disconnect ends a session. */
function sessionsPanel() {
  const status = el('p', { id: 'sessions-status', role: 'status' }, 'Loading viewers…');
  const body = el('tbody', { id: 'sessions-list' });
  const table = el('table', { class: 'sessions' },
    el('thead', {}, el('tr', {}, ['User', 'Protocol', 'Stream', 'Since', 'Sent', 'Address', ''].map((h) => el('th', {}, h)))),
    body);
  const refresh = el('button', { type: 'button', id: 'sessions-refresh', onclick: () => load() }, 'Refresh');
  const element = el('section', { class: 'admin-section', id: 'sessions' },
    el('div', { class: 'section-head' }, el('h2', {}, 'Viewers'), refresh), status, table);
  let note = ''; // the outcome of the last disconnect, kept across refreshes for a moment

  async function load() {
    const answer = await api('GET', 'sessions');
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      status.dataset.state = 'error';
      status.textContent = answer.status === 404 || answer.status === 405
        ? `This server does not list viewers (HTTP ${answer.status}).`
        : `Cannot load the viewers (${failure(answer)}).`;
      body.replaceChildren();
      return;
    }
    status.dataset.state = 'ready';
    const count = answer.body.length ? `${answer.body.length} viewer(s) on this server.` : 'Nobody is watching.';
    status.textContent = note ? `${note} ${count}` : count;
    body.replaceChildren(...answer.body.map((s) => el('tr', { dataset: { session: s.id, protocol: s.protocol } },
      el('td', {}, s.user),
      el('td', {}, el('span', { class: 'badge' }, s.protocol)),
      el('td', {}, el('a', { href: `#/watch/${s.camera}/${s.stream}` }, `${s.camera}/${s.stream}`)),
      el('td', { title: s.since }, new Date(s.since).toLocaleTimeString()),
      el('td', {}, bytes(s.bytes ?? 0)),
      el('td', {}, s.remote),
      el('td', {}, el('button', { type: 'button', class: 'danger', onclick: () => disconnect(s) }, 'Disconnect')))));
  }

  async function disconnect(session) {
    if (!confirm(`Disconnect ${session.user} (${session.protocol}) from ${session.camera}/${session.stream}? `
      + 'They may come back: to keep someone out, revoke their access.')) {
      return;
    }
    const answer = await api('DELETE', `sessions/${encodeURIComponent(session.id)}`);
    note = answer.status === 204 ? `Disconnected ${session.user}.`
      : answer.status === 404 ? `${session.user} had left already.` : `Not disconnected (${failure(answer)}).`;
    setTimeout(() => { note = ''; }, REFRESH_MS * 2);
    await load();
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return { element, stop: () => clearInterval(timer) };
}
