import '../common/csp.js';
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './evaluator.css';
import { Evaluator } from './Evaluator.js';

createRoot(document.getElementById('root')!).render(<Evaluator />);
