#include "zipentryname.h"

#include <QStringList>

namespace sluice {

namespace {

std::optional<QString> reject(QString *reason, const QString &why)
{
    if (reason)
        *reason = why;
    return std::nullopt;
}

} // namespace

std::optional<QString> ZipEntryName::sanitize(const QString &raw, QString *reason)
{
    if (raw.isEmpty())
        return reject(reason, QStringLiteral("empty entry name"));
    for (QChar c : raw) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return reject(reason, QStringLiteral("control character in entry name"));
    }
    QString name = raw;
    // A Windows extractor treats '\' as a separator, so must we: "..\..\x" is a traversal.
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (name.startsWith(QLatin1Char('/')))
        return reject(reason, QStringLiteral("absolute path in entry name"));
    if (name.contains(QLatin1Char(':')))
        return reject(reason, QStringLiteral("drive letter or colon in entry name"));

    if (name.endsWith(QLatin1Char('/')))
        return reject(reason, QStringLiteral("entry name has no file name (a directory)"));

    QStringList kept;
    for (const QString &part : name.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == u".")
            continue;
        if (part == u"..")
            return reject(reason, QStringLiteral("\"..\" in entry name"));
        kept << part;
    }
    if (kept.isEmpty())
        return reject(reason, QStringLiteral("entry name has no file name"));
    return kept.join(QLatin1Char('/'));
}

} // namespace sluice
