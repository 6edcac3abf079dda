/** Русский каталог: те же ключи, что в английском; отсутствующие показываются по-английски. */
import type { Catalog } from '../catalog.js';
import { acquisition } from './acquisition.js';

export const ru: Catalog = {
  'error.forbidden.signIn': 'Сначала войдите в систему: нужно право «{permission}».',
  'error.forbidden.permission': 'У пользователя {user} нет права «{permission}».',
  'error.unavailable': 'Недоступно на этой станции.',
  'error.internal': 'Станция не смогла выполнить действие; см. журнал.',
  ...acquisition,
};
