// camflow's minimal web viewer: logs in through Keycloak (authorization code flow with PKCE S256 as the
// public client camflow-web) and plays one live stream with hls.js, sending the current access token on
// every request. docs/web-viewer.md says what is stored where, and why.

const $ = (id) => document.getElementById(id);
const ui = {
  login: $('login'), logout: $('logout'), user: $('user'), player: $('player'), stream: $('stream'),
  status: $('status'), video: $('video'), cameras: $('cameras'),
};

const TOKENS_KEY = 'camflow.tokens'; // this tab's tokens, so that a reload does not need a new login
const LOGIN_KEY = 'camflow.login'; // the PKCE verifier, state and nonce of a login in progress
const REFRESH_LEAD_MS = 30_000; // refresh the access token this long before it expires
const STREAM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}\/[a-z0-9][a-z0-9_-]{0,63}$/; // <camera>/<stream>

let config; // {issuer, clientId} from /web/config.json; issuer null: delivery runs without auth
let tokens = null; // {access, refresh, id, expiresAt}
let refreshing = null; // the refresh in flight, shared by everyone who needs a fresh token
let refreshTimer;
let hls = null;
let nativeUrl = null; // the playlist while the browser's own HLS player plays it
let state = 'login';
let current = ''; // the stream being played
let lastTime = null; // video.currentTime at the last timeupdate; null right after a seek

window.camflowViewer = {
  get state() { return state; },
  get stream() { return current || ui.stream.value.trim(); },
  video: ui.video,
};

class LoginError extends Error {
  constructor(message, status = 0) {
    super(message);
    this.status = status;
  }
}

function setStatus(next, text) {
  state = next;
  ui.status.dataset.state = next;
  ui.status.textContent = text;
}

const endpoint = (name) => `${config.issuer}/protocol/openid-connect/${name}`;
const redirectUri = () => location.origin + location.pathname;
const bearer = (token) => (token ? { Authorization: `Bearer ${token}` } : {});

// ---- login ----------------------------------------------------------------------------------------

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** The JWT's payload, for display and the nonce check only: the server verifies signatures. */
function claims(jwt) {
  try {
    const json = atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    return {};
  }
}

async function login() {
  if (!crypto.subtle) { // browsers offer it to secure contexts only
    throw new Error('logging in needs HTTPS (or http://localhost)');
  }
  const verifier = randomString();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const pending = { verifier, state: randomString(), nonce: randomString(), search: location.search };
  sessionStorage.setItem(LOGIN_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid',
    state: pending.state, nonce: pending.nonce,
    code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: 'S256',
  });
  location.assign(`${endpoint('auth')}?${query}`);
}

/** Back from Keycloak with ?code=&state= (or ?error=): trade the code for tokens. */
async function completeLogin(params) {
  const pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || 'null');
  sessionStorage.removeItem(LOGIN_KEY);
  // the code is single-use, but it should not linger in the address bar or the history
  history.replaceState(null, '', redirectUri() + (pending?.search ?? '') + location.hash);
  if (params.has('error')) {
    throw new LoginError(params.get('error_description') || params.get('error'));
  }
  if (!pending || params.get('state') !== pending.state) {
    throw new LoginError('this answer from the login page does not belong to a login started here');
  }
  if (params.has('iss') && params.get('iss') !== config.issuer) { // RFC 9207: the expected server answered
    throw new LoginError('the answer comes from an unexpected issuer');
  }
  setStatus('loading', 'Logging in…');
  const answer = await tokenRequest({
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  if (claims(answer.id_token).nonce !== pending.nonce) {
    throw new LoginError('the ID token does not carry the nonce of this login');
  }
  keep(answer);
}

async function tokenRequest(form) {
  const response = await fetch(endpoint('token'), {
    method: 'POST', body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new LoginError(body.error_description || body.error || `HTTP ${response.status}`, response.status);
  }
  return body;
}

function keep(answer) {
  tokens = {
    access: answer.access_token,
    refresh: answer.refresh_token ?? tokens?.refresh,
    id: answer.id_token ?? tokens?.id,
    expiresAt: Date.now() + answer.expires_in * 1000, // our clock, not the token's exp: no skew
  };
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  scheduleRefresh();
}

function scheduleRefresh(delay) {
  clearTimeout(refreshTimer);
  const left = tokens.expiresAt - Date.now();
  refreshTimer = setTimeout(() => accessToken(true).catch(() => {}),
    delay ?? Math.max(0, left - Math.min(REFRESH_LEAD_MS, left / 4)));
}

/** The access token (null without auth); refreshed first when it is about to expire (or when forced). */
async function accessToken(force = false) {
  if (!config.issuer) {
    return null;
  }
  if (!tokens) {
    throw new LoginError('not logged in');
  }
  if (!force && tokens.expiresAt - Date.now() > 5_000) {
    return tokens.access;
  }
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh })
    .then((answer) => {
      keep(answer);
      if (nativeUrl) {
        playNatively(nativeUrl, current); // its URL carries the old token
      }
    }, (e) => {
      if (e.status) { // Keycloak said no: logged out elsewhere, or the session expired
        e.sessionEnded = true;
        endSession('Your session has ended. Log in again.');
      } else if (tokens) {
        scheduleRefresh(10_000); // network trouble: try again
      }
      throw e;
    })
    .finally(() => { refreshing = null; });
  await refreshing;
  return tokens.access;
}

function logout() {
  const idToken = tokens?.id;
  forget();
  const query = new URLSearchParams({
    client_id: config.clientId, post_logout_redirect_uri: redirectUri() + location.search,
  });
  if (idToken) {
    query.set('id_token_hint', idToken);
  }
  location.assign(`${endpoint('logout')}?${query}`);
}

function forget() {
  clearTimeout(refreshTimer);
  tokens = null;
  sessionStorage.removeItem(TOKENS_KEY);
  sessionStorage.removeItem(LOGIN_KEY);
}

function endSession(message) {
  stop();
  forget();
  showLoggedOut();
  setStatus('login', message);
}

function showLoggedIn() {
  ui.user.textContent = tokens ? claims(tokens.access).preferred_username ?? '' : '';
  ui.login.hidden = true;
  ui.user.hidden = ui.logout.hidden = !tokens;
  ui.player.hidden = ui.video.hidden = false;
}

function showLoggedOut() {
  ui.user.textContent = '';
  ui.login.hidden = false;
  ui.user.hidden = ui.logout.hidden = ui.player.hidden = ui.video.hidden = ui.cameras.hidden = true;
}

/** Optional: servers with GET /api/v1/me say which cameras this user may watch. */
async function showPermissions() {
  try {
    const response = await fetch('/api/v1/me', { headers: bearer(await accessToken()) });
    if (!response.ok) {
      return;
    }
    const me = await response.json();
    const live = Object.entries(me.cameras ?? {}).filter(([, actions]) => actions.includes('live'));
    ui.cameras.textContent = me.admin ? 'You may watch every camera.'
      : live.length ? `Cameras you may watch: ${live.map(([camera]) => camera).join(', ')}`
        : 'You may not watch any camera yet.';
    ui.cameras.hidden = false;
  } catch {
    // without it the page works the same
  }
}

// ---- playback -------------------------------------------------------------------------------------

function play() {
  stop();
  current = ui.stream.value.trim();
  if (!STREAM_NAME.test(current)) {
    setStatus('error', 'Enter a stream as camera/stream, e.g. demo/main');
    return;
  }
  history.replaceState(null, '', `${redirectUri()}?stream=${current}`); // a reload plays it again
  const url = `/live/${current}/index.m3u8`;
  setStatus('loading', `Loading ${current}…`);
  if (window.Hls?.isSupported()) {
    playWithHlsJs(url, current);
  } else if (ui.video.canPlayType('application/vnd.apple.mpegurl')) {
    playNatively(url, current);
  } else {
    setStatus('error', 'This browser cannot play HLS.');
  }
}

function playWithHlsJs(url, stream) {
  let recovered = false;
  hls = new Hls({
    lowLatencyMode: true,
    // asked per request, so a long session always sends the token of the latest refresh
    xhrSetup: async (xhr, requestUrl) => {
      const headers = bearer(await accessToken());
      xhr.open('GET', requestUrl, true);
      Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    },
  });
  hls.on(Hls.Events.ERROR, (_, data) => {
    const code = data.response?.code;
    if (code === 401 || code === 403) {
      denied(stream, code);
    } else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
      recovered = true;
      hls.recoverMediaError();
    } else if (data.fatal) {
      failed(stream, code, data.details);
    }
  });
  hls.loadSource(url);
  hls.attachMedia(ui.video);
  ui.video.play().catch(() => {}); // muted: allowed without a gesture; errors show up through hls.js
}

async function playNatively(url, stream) {
  nativeUrl = url;
  const token = await accessToken();
  ui.video.src = token ? `${url}?access_token=${encodeURIComponent(token)}` : url;
  ui.video.play().catch(() => {});
}

function denied(stream, code) {
  stop();
  setStatus('denied', code === 401
    ? `You are not allowed to watch ${stream}: your login was not accepted. Log in again.`
    : `You are not allowed to watch ${stream}`);
}

function failed(stream, code, details) {
  stop();
  setStatus('error', code === 404 ? `There is no stream ${stream}.`
    : code === 429 ? 'Too many refused requests from here. Try again in a while.'
      : `Cannot play ${stream} (${code ? `HTTP ${code}` : details}).`);
}

function stop() {
  hls?.destroy();
  hls = null;
  nativeUrl = null;
  lastTime = null;
  if (ui.video.hasAttribute('src')) {
    ui.video.removeAttribute('src');
    ui.video.load();
  }
}

ui.video.addEventListener('seeking', () => { lastTime = null; });
ui.video.addEventListener('timeupdate', () => {
  const time = ui.video.currentTime;
  if (state === 'loading' && current && lastTime !== null && time > lastTime && !ui.video.paused) {
    setStatus('playing', `Playing ${current}`);
  }
  lastTime = time;
});
ui.video.addEventListener('waiting', () => {
  if (state === 'playing') {
    setStatus('loading', `Buffering ${current}…`);
  }
});
ui.video.addEventListener('error', async () => {
  if (!nativeUrl) {
    return; // hls.js reports its own errors
  }
  // the browser's player does not tell why: ask the server once more
  const url = nativeUrl;
  const stream = current;
  const code = await fetch(url, { headers: bearer(await accessToken()) })
    .then((r) => r.status, () => 0);
  if (code === 401 || code === 403) {
    denied(stream, code);
  } else {
    failed(stream, code >= 400 ? code : 0, 'the browser could not play it');
  }
});

// ---- start ----------------------------------------------------------------------------------------

async function start() {
  const params = new URLSearchParams(location.search);
  ui.login.addEventListener('click', () => login().catch((e) => setStatus('error', `Login failed: ${e.message}`)));
  ui.logout.addEventListener('click', logout);
  ui.player.addEventListener('submit', (event) => {
    event.preventDefault();
    play();
  });
  try {
    const response = await fetch('/web/config.json');
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    config = await response.json();
  } catch (e) {
    setStatus('error', `Cannot load the viewer's configuration (${e.message}).`);
    return;
  }
  try {
    if (!config.issuer) {
      // delivery runs without auth: nothing to log in to
    } else if (params.has('code') || params.has('error')) {
      await completeLogin(params);
    } else {
      tokens = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || 'null');
      if (tokens) {
        scheduleRefresh();
        await accessToken(); // refreshes a token that expired while the tab was away
      }
    }
  } catch (e) {
    if (!e.sessionEnded) { // else endSession has said so
      forget();
      showLoggedOut();
      setStatus('error', `Login failed: ${e.message}`);
    }
    return;
  }
  if (!tokens && config.issuer) {
    showLoggedOut();
    setStatus('login', 'Log in to watch.');
    return;
  }
  // read only now: completeLogin has put back the address the login started from
  ui.stream.value = new URLSearchParams(location.search).get('stream') || 'demo/main';
  showLoggedIn();
  play();
  showPermissions();
}

start();
