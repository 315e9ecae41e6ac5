import { render } from 'solid-js/web';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './styles/monitoring.css';
import { App } from './app';

render(() => <App />, document.getElementById('root')!);
