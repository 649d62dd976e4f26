import '@mantine/core/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { initI18n } from './i18n/i18n';

void initI18n().then(() => {
  createRoot(document.getElementById('root')!).render(<App />);
});
