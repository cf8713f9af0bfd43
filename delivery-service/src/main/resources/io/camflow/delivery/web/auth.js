// Login through Keycloak: authorization code flow with PKCE S256 as the public client camflow-web, token
// refresh, logout. Everything else asks this module for the current access token and never keeps one.
// docs/web-viewer.md says what is stored where, and why.

const TOKENS_KEY = 'camflow.tokens'; // this tab's tokens, so that a reload does not need a new login
const LOGIN_KEY = 'camflow.login'; // the PKCE verifier, state and nonce of a login in progress
const REFRESH_LEAD_MS = 30_000; // refresh the access token this long before it expires

// {issuer, clientId, realmPath, httpsPort} from /web/config.json; issuer null: delivery runs without auth.
// realmPath: delivery forwards the realm's pages, so the login happens at this page's own origin
let config;
let issuer; // the realm as this page reaches it
let tokens = null; // {access, refresh, id, expiresAt}
let refreshing = null; // the refresh in flight, shared by everyone who needs a fresh token
let refreshTimer;
const refreshListeners = new Set(); // told after every refresh (players whose URLs hold a token)
let sessionEndListener = () => {};

export class LoginError extends Error {
  constructor(message, status = 0) {
    super(message);
    this.status = status;
  }
}

const endpoint = (name) => `${issuer}/protocol/openid-connect/${name}`;

/** The page's own address without query or fragment: the redirect URI registered with Keycloak. */
export const redirectUri = () => location.origin + location.pathname;

/** Request headers that carry a token (none for null: auth off). */
export const bearer = (token) => (token ? { Authorization: `Bearer ${token}` } : {});

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

/** Whether delivery checks tokens at all (config.json's issuer is null when it does not). */
export const authEnabled = () => Boolean(config?.issuer);

/** Whether there is a session (always true with auth off). */
export const loggedIn = () => !authEnabled() || Boolean(tokens);

/** The logged-in user's name, for display. */
export const userName = () => (tokens ? claims(tokens.access).preferred_username ?? '' : '');

/** Called with a message when a refresh is refused (the Keycloak session ended). */
export function onSessionEnd(listener) {
  sessionEndListener = listener;
}

/** Called after each token refresh; returns the function that stops it. */
export function onRefresh(listener) {
  refreshListeners.add(listener);
  return () => refreshListeners.delete(listener);
}

/**
 * Whether this page can log in: PKCE needs Web Crypto, which browsers offer only to secure contexts (HTTPS,
 * or http://localhost) — a page opened over plain HTTP by a LAN address or name cannot.
 */
export const canLogIn = () => Boolean(globalThis.crypto?.subtle);

/** This page at the server's HTTPS port (null when it has none): where a plain-HTTP page sends its user. */
export function secureAddress() {
  if (!config?.httpsPort) {
    return null;
  }
  const url = new URL(location.href);
  url.protocol = 'https:';
  url.port = String(config.httpsPort);
  return url.href;
}

export async function login() {
  if (!canLogIn()) {
    throw new Error('logging in needs HTTPS (or http://localhost)');
  }
  const verifier = randomString();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const pending = {
    verifier, state: randomString(), nonce: randomString(), search: location.search, hash: location.hash,
  };
  sessionStorage.setItem(LOGIN_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid',
    state: pending.state, nonce: pending.nonce,
    code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: 'S256',
  });
  location.assign(`${endpoint('auth')}?${query}`);
}

/** Back from Keycloak with ?code=&state= (or ?error=): trade the code for tokens. */
async function completeLogin(params, onProgress) {
  const pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || 'null');
  sessionStorage.removeItem(LOGIN_KEY);
  // the code is single-use, but it should not linger in the address bar or the history
  history.replaceState(null, '', redirectUri() + (pending?.search ?? '') + (pending?.hash || location.hash));
  if (params.has('error')) {
    throw new LoginError(params.get('error_description') || params.get('error'));
  }
  if (!pending || params.get('state') !== pending.state) {
    throw new LoginError('this answer from the login page does not belong to a login started here');
  }
  if (params.has('iss') && params.get('iss') !== issuer) { // RFC 9207: the expected server answered
    throw new LoginError('the answer comes from an unexpected issuer');
  }
  onProgress();
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
export async function accessToken(force = false) {
  if (!authEnabled()) {
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
      refreshListeners.forEach((listener) => listener());
    }, (e) => {
      if (e.status) { // Keycloak said no: logged out elsewhere, or the session expired
        e.sessionEnded = true;
        forget();
        sessionEndListener('Your session has ended. Log in again.');
      } else if (tokens) {
        scheduleRefresh(10_000); // network trouble: try again
      }
      throw e;
    })
    .finally(() => { refreshing = null; });
  await refreshing;
  return tokens.access;
}

export function logout() {
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

export function forget() {
  clearTimeout(refreshTimer);
  tokens = null;
  sessionStorage.removeItem(TOKENS_KEY);
  sessionStorage.removeItem(LOGIN_KEY);
}

/**
 * Loads config.json and finishes a login coming back from Keycloak, or takes up this tab's session.
 * Throws Error (no configuration) or LoginError (login failed; e.sessionEnded if the listener was told).
 */
export async function startSession(onProgress = () => {}) {
  const response = await fetch('/web/config.json');
  if (!response.ok) {
    throw new Error(`Cannot load the viewer's configuration (HTTP ${response.status}).`);
  }
  config = await response.json();
  issuer = config.realmPath ? location.origin + config.realmPath : config.issuer;
  if (!config.issuer) {
    return; // delivery runs without auth: nothing to log in to
  }
  const params = new URLSearchParams(location.search);
  if (params.has('code') || params.has('error')) {
    await completeLogin(params, onProgress);
  } else {
    tokens = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || 'null');
    if (tokens) {
      scheduleRefresh();
      await accessToken(); // refreshes a token that expired while the tab was away
    }
  }
}
