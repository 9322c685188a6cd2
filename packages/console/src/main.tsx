/**
 * @module
 * Entry of the companion-guard console: the staff console under `/console`, the guardian console under
 * `/guardian`, the user-side demo chat everywhere else. The staff console is a separate chunk, loaded only on its pages.
 */
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { isConsolePath } from './console-nav.js';
import '@companion-guard/react/styles.css';
import './styles.css';

async function pickPage(): Promise<ReactNode> {
  if (/^\/guardian(\/|$)/.test(window.location.pathname)) {
    const { GuardianApp } = await import('./guardian-app.js');
    return <GuardianApp />;
  }
  if (!isConsolePath(window.location.pathname)) return <App />;
  const { ConsoleApp } = await import('./console-app.js');
  return <ConsoleApp />;
}

const root = document.getElementById('root');
if (root) {
  void pickPage().then((page) => createRoot(root).render(<StrictMode>{page}</StrictMode>));
}
