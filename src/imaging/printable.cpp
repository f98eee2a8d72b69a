#include "printable.h"

#include "localpath.h"

namespace sluice {

QString printable(const QString &raw)
{
    QString shown;
    shown.reserve(raw.size());
    for (const QChar c : localpath::escaped(raw)) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u < 0xa0))
            shown += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    return shown;
}

} // namespace sluice
