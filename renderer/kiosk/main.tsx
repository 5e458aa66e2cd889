import '../common/csp.js';
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './kiosk.css';
import { Kiosk } from './Kiosk.js';

createRoot(document.getElementById('root')!).render(<Kiosk />);
