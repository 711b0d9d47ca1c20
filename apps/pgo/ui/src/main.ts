/** Entry point of the PGO web UI. */
import './global.css';
import { applyDocumentLang } from './i18n.ts';
import './app.ts';

applyDocumentLang();
