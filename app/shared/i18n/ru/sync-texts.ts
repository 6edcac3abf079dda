/** Потери данных на вышестоящем сервере и проверки того, что на нём хранится (см. en/sync-texts.ts). */
import type { Catalog } from '../catalog.js';

export const syncTexts: Catalog = {
  'sync.check.restarted': 'сервер {upstream} перезапущен в {startedAt}',
  'sync.check.notHeld': 'на сервере {upstream} больше нет части данных, приём которых он подтвердил (проверено в {checkedAt})',
  'sync.check.holds': 'на нём есть всё, приём чего он подтвердил до {upToAt}',
  'sync.check.lostAfter': 'на нём больше нет того, приём чего он подтвердил после {afterAt}',
  'sync.check.holdsNothing': 'на нём нет ничего из подтверждённого после {sinceAt}, самой старой сохранённой контрольной точки',
  'sync.check.nothingYet': 'пока не с чем сверить, что на нём хранится',
  'sync.check.cannot': 'проверить, что на нём хранится, нельзя: ни одной из недавно подтверждённых строк там не найти',
  'sync.check.couldNot': 'проверить, что на нём хранится, не удалось ({error})',
  'sync.check.gaps': 'на нём нет подтверждённого к {count, plural, one {# контрольной точке} few {# контрольным точкам} many {# контрольным точкам} other {# контрольной точке}} после прошлой такой проверки ({missingAts}), хотя {around, select, checks {контрольные точки вокруг них есть} other {точка {anchorAt} есть}}',
  'sync.check.result': '{reason}: {found}; повторно отправлено интервалов: {ranges}, строк из карантина: {lines}',
  'sync.check.unwitnessed': 'сервер {upstream}: проверить, что на нём хранится, нельзя: ни одной из {count, plural, one {# последней подтверждённой строки} few {# последних подтверждённых строк} many {# последних подтверждённых строк} other {# последней подтверждённой строки}} там не найти ({line}); после перезапуска или потери данных на нём повторно отправляются только последние {windowSec} с',
  'sync.check.witnessedAgain': 'сервер {upstream}: что на нём хранится, снова можно проверить (подтверждённую им строку там можно найти)',
  'sync.loss.holdsNothing': '{reason}; на нём нет ничего из подтверждённого после {sinceAt} (самой старой сохранённой контрольной точки): это отправляется повторно; подтверждённого раньше там тоже может не быть, и отсюда это не проверить (npm run sync -- resend)',
  'sync.loss.cannotCheck': '{reason}; проверить, что на нём ещё хранится, нельзя (ни одной из недавно подтверждённых строк там не найти): последние {windowSec} с отправлены повторно, а подтверждённого раньше там может не быть; отправьте повторно (npm run sync -- resend)',
  'sync.loss.couldNotCheck': '{reason}; проверить, что на нём ещё хранится, не удалось ({error}): последние {windowSec} с отправлены повторно, а подтверждённого раньше там может не быть; дайте учётной записи станции право чтения или отправьте повторно (npm run sync -- resend)',
  'sync.loss.gaps': '{reason}: {found}: подтверждённое между ними отправляется повторно (интервалов: {ranges})',
  'sync.loss.deleted': '{count, plural, one {# запись} few {# записи} many {# записей} other {# записи}} ({stream} {single, select, yes {{first, number, ::group-off}} other {{first, number, ::group-off}–{last, number, ::group-off}}}) {count, plural, one {удалена} few {удалены} many {удалены} other {удалены}} на станции {again, select, yes {до того, как их удалось отправить повторно} other {до отправки}}',
  'sync.loss.restored': '{stream}: записи станции теперь заканчиваются на {head, number, ::group-off}, раньше уже отправленной {from, number, ::group-off} (восстановлены из более старой копии или обрезаны в конце); отправляются повторно с начала',
  'sync.loss.station': '{detail}',
  'sync.loss.resending': 'при повторной отправке ({reason}): {detail}',
  'sync.loss.list': '{parts}',
  'sync.restartCheck': 'Что хранится на сервере, проверено {at}: {text}',
};
