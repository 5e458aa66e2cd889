import '../common/csp.js';
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './workstation.css';
import { installBridge } from '../bridge-client.js';
import { App } from './App.js';

const api = installBridge();
const root = createRoot(document.getElementById('root')!);
if (api) {
  root.render(<App api={api} />);
} else {
  root.render(
    <div className="fatal">
      <h1>未连接到工作台后台</h1>
      <p>请通过 OneWindow 应用或浏览器预览（npm run preview）打开本页面。</p>
    </div>,
  );
}
