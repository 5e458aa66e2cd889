import '../common/csp.js';
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './display.css';
import { Display } from './Display.js';

createRoot(document.getElementById('root')!).render(<Display />);
