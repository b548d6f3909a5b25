import './app/mj-app.ts';
