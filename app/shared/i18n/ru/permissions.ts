/** Права (app/shared/permissions.ts) так, как их читают в отказе и в журнале аудита. */
import type { Catalog } from '../catalog.js';

export const permissions: Catalog = {
  'permission.alarms.acknowledge': 'Квитирование сигнализаций',
  'permission.alarms.silence': 'Отключение сирены',
  'permission.alarms.shelve': 'Откладывание сигнализаций',
  'permission.alarms.shelveLong': 'Откладывание сигнализаций дольше предела оператора',
  'permission.alarms.reset': 'Сброс зафиксированных сигнализаций',
  'permission.alarms.outOfService': 'Вывод сигнализаций из работы',
  'permission.alarms.returnToService': 'Ввод сигнализаций в работу',
  'permission.alarms.configure': 'Изменение настроек сигнализаций',
  'permission.alarms.kpi': 'Отчёты о показателях сигнализаций',
  'permission.tags.configure': 'Настройка тегов',
  'permission.servers.configure': 'Настройка серверов OPC UA',
  'permission.certificates.manage': 'Доверие сертификатам серверов',
  'permission.accounts.manage': 'Управление учётными записями',
  'permission.audit.view': 'Просмотр журнала аудита',
  'permission.data.export': 'Экспорт данных',
  'permission.trends.saveGroup': 'Сохранение общих групп трендов',
  'permission.sync.manage': 'Управление передачей данных',
};
