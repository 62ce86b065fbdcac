export * from './stack';
export * from './home';
export * from './token';
