// The console's entry: finds the gateway's URL from this script's own (served at <base>console/assets/console.js,
// so the console works behind a prefix and under /p/<profile>/) and renders the app.
import { render } from 'preact';
import { App } from './app.js';
import './console.css';

const script = document.currentScript as HTMLScriptElement | null;
const base = new URL('../../', script?.src ?? location.href).href;
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App base={base} />, root);
}
