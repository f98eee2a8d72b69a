// Text from outside (file and entry names, reasons that quote them) made safe to show on a
// terminal or in a report: control characters (C0, DEL, C1) become \xNN, so a hostile name
// cannot clear a terminal, move its cursor or forge a line. Bytes of a file name that are not
// UTF-8 (localpath.h) become \xNN too.
#pragma once

#include <QString>

namespace sluice {

QString printable(const QString &raw);

} // namespace sluice
