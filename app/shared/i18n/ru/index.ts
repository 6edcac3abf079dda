/** Русский каталог: те же ключи, что в английском; отсутствующие показываются по-английски. */
import type { Catalog } from '../catalog.js';
import { accounts } from './accounts.js';

export const ru: Catalog = {
  'error.forbidden.signIn': 'Сначала войдите в систему: нужно право «{permission}».',
  'error.forbidden.permission': 'У пользователя {user} нет права «{permission}».',
  'error.unavailable': 'Недоступно на этой станции.',
  'error.internal': 'Станция не смогла выполнить действие; см. журнал.',
  'alarms.refused.changed': 'Сигнализация изменилась — проверьте.',
  'alarms.refused.unknownAlarm': 'Сигнализации «{alarm}» нет.',
  'alarms.refused.notShelvable': '{alarm} — сигнализация безопасности, её нельзя отложить.',
  'alarms.refused.shelveTooLong': 'Вам можно отложить не более чем на {max, plural, one {# минуту} few {# минуты} many {# минут} other {# минуты}}; запрошено {requested, plural, one {# минута} few {# минуты} many {# минут} other {# минуты}}.',
  'alarms.refused.shelveNotAllowed': 'Вашей роли нельзя откладывать сигнализации.',
  'alarms.refused.notShelved': '{alarm} не отложена.',
  'alarms.refused.notLatched': '{alarm} не зафиксирована.',
  'alarms.refused.ackFirst': 'Сначала квитируйте {alarm}, затем сбросьте.',
  'alarms.refused.conditionPresent': 'Нельзя сбросить {alarm}: условие ещё присутствует.',
  'alarms.refused.suspect': 'Нельзя сбросить {alarm}: данные не актуальны, условие не проверить.',
  'alarms.refused.alreadyOutOfService': '{alarm} уже выведена из работы.',
  'alarms.refused.notOutOfService': '{alarm} не выведена из работы.',
  'alarms.refused.noSuchCondition': 'У {alarm} нет условия {condition}.',
  'alarms.refused.notConfigurable': '{alarm} задана своим OPC UA сервером и здесь не меняется.',
  'alarms.refused.invalidChange': 'Изменение не сохранено: {problem}',
  'alarms.refused.notConfirmable': 'У {alarm} нет шага подтверждения.',
  'alarms.refused.serverUnavailable': 'Сервер {server} не подключён; повторите, когда связь восстановится.',
  'alarms.refused.serverRefused': 'Сервер {server} отклонил запрос: {status}.',
  'alarms.comm.lost': 'Потеря связи с сервером {server}',
  'alarms.quality.bad': '{tag}: недостоверное значение',
  ...accounts,
};
