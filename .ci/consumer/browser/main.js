import { solve } from 'inversa';
document.body.textContent = typeof solve;
