// Types for the uPlot ES module the server serves at /dashboard/assets/uplot.js (imported as '../uplot.js' from the app).
import uPlot from 'uplot';
export default uPlot;
