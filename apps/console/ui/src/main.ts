/** Entry point of the console's web UI. */
import '@medmij-sandbox/ui/global.css';
import { applyDocumentLang } from '@medmij-sandbox/ui/i18n';
import './app.ts';

applyDocumentLang();
