#include "sink.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QRegularExpression>

namespace sluice {

QString sourceStamp(const QString &relativePath)
{
    const QByteArray digest =
        QCryptographicHash::hash(QByteArrayLiteral("sluice-source-v1\n") + relativePath.toUtf8(),
                                 QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex().left(16));
}

namespace {

const QRegularExpression &tokenPattern()
{
    static const QRegularExpression token(QStringLiteral("\\{([^{}:]*)(?::([^{}]*))?\\}"));
    return token;
}

constexpr int MaxCounterWidth = 9;

// "" when the token and its argument are valid; else why not (for namingTemplateError()).
QString tokenProblem(const QRegularExpressionMatch &match)
{
    const QString name = match.captured(1);
    const bool hasArgument = match.capturedStart(2) >= 0;
    static const QStringList plain = {QStringLiteral("name"),  QStringLiteral("ext"),
                                      QStringLiteral("w"),     QStringLiteral("h"),
                                      QStringLiteral("index"), QStringLiteral("camera")};
    if (plain.contains(name))
        return hasArgument ? QStringLiteral("%1 takes no argument").arg(match.captured())
                           : QString();
    if (name == u"date")
        return hasArgument && match.captured(2).trimmed().isEmpty()
                   ? QStringLiteral("%1 needs a date format such as {date:yyyy-MM-dd}")
                         .arg(match.captured())
                   : QString();
    if (name == u"n") {
        if (!hasArgument)
            return {};
        bool ok = false;
        const int width = match.captured(2).toInt(&ok);
        return ok && width >= 1 && width <= MaxCounterWidth
                   ? QString()
                   : QStringLiteral("%1 needs a width from 1 to %2, such as {n:4}")
                         .arg(match.captured())
                         .arg(MaxCounterWidth);
    }
    return QStringLiteral("unknown token %1").arg(match.captured());
}

QString tokenValue(const QRegularExpressionMatch &match, const OutputRequest &request,
                   const QString &baseName)
{
    const QString name = match.captured(1);
    if (name == u"name")
        return baseName;
    if (name == u"ext")
        return request.extension;
    if (name == u"w")
        return QString::number(request.outputSize.width());
    if (name == u"h")
        return QString::number(request.outputSize.height());
    if (name == u"index")
        return QString::number(request.item.index);
    if (name == u"n") {
        const int width = match.capturedStart(2) >= 0 ? match.captured(2).toInt() : 0;
        return QStringLiteral("%1").arg(request.item.index + 1, width, 10, QLatin1Char('0'));
    }
    if (name == u"camera") {
        const QString model = request.capture.cameraModel.simplified();
        return model.isEmpty() ? QStringLiteral("unknown camera") : model;
    }
    if (name == u"date") {
        const QDateTime when =
            request.capture.taken.isValid() ? request.capture.taken : request.sourceModified;
        if (!when.isValid())
            return QStringLiteral("unknown date");
        // The C locale: a name must not change with the language the window shows.
        const QString format =
            match.capturedStart(2) >= 0 ? match.captured(2) : QStringLiteral("yyyy-MM-dd");
        return QLocale::c().toString(when, format);
    }
    return match.captured(); // not reached for a template namingTemplateError() accepts
}

} // namespace

QString applyNamingTemplate(const QString &nameTemplate, const OutputRequest &request)
{
    const QString fileName = request.item.relativePath.section(QLatin1Char('/'), -1);
    const int dot = fileName.lastIndexOf(QLatin1Char('.'));
    const QString baseName = dot > 0 ? fileName.left(dot) : fileName;

    QString name;
    qsizetype from = 0;
    for (const QRegularExpressionMatch &match : tokenPattern().globalMatch(nameTemplate)) {
        name += QStringView(nameTemplate).mid(from, match.capturedStart() - from);
        name += tokenValue(match, request, baseName);
        from = match.capturedEnd();
    }
    name += QStringView(nameTemplate).mid(from);
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    name.replace(QLatin1Char('\\'), QLatin1Char('_'));
    for (QChar &c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char('_');
    }
    if (name.isEmpty() || name == u"." || name == u"..")
        name = QStringLiteral("_");
    return name;
}

QString unknownNamingToken(const QString &nameTemplate)
{
    for (const QRegularExpressionMatch &match : tokenPattern().globalMatch(nameTemplate)) {
        if (!tokenProblem(match).isEmpty())
            return match.captured();
    }
    return {};
}

QString namingTemplateError(const QString &nameTemplate)
{
    for (const QRegularExpressionMatch &match : tokenPattern().globalMatch(nameTemplate)) {
        const QString problem = tokenProblem(match);
        if (!problem.isEmpty())
            return QStringLiteral("%1 in the name template (use {name}, {ext}, {w}, {h}, {n}, "
                                  "{n:4}, {index}, {date}, {date:yyyy-MM-dd} or {camera})")
                .arg(problem);
    }
    return {};
}

bool namingTemplateNeedsCapture(const QString &nameTemplate)
{
    for (const QRegularExpressionMatch &match : tokenPattern().globalMatch(nameTemplate)) {
        if (match.captured(1) == u"date" || match.captured(1) == u"camera")
            return true;
    }
    return false;
}

QStringList namingNotes(const QString &nameTemplate, const OutputRequest &request)
{
    bool date = false;
    bool camera = false;
    for (const QRegularExpressionMatch &match : tokenPattern().globalMatch(nameTemplate)) {
        date = date || match.captured(1) == u"date";
        camera = camera || match.captured(1) == u"camera";
    }
    QStringList notes;
    if (date && !request.capture.taken.isValid())
        notes << QStringLiteral("no capture date in the metadata: {date} is the file's time");
    if (camera && request.capture.cameraModel.simplified().isEmpty())
        notes << QStringLiteral("no camera model in the metadata: {camera} is \"unknown camera\"");
    return notes;
}

QString outputRelativePath(const QString &nameTemplate, bool mirrorTree,
                           const OutputRequest &request)
{
    const QString name = applyNamingTemplate(nameTemplate, request);
    if (!mirrorTree)
        return name;
    const int slash = request.item.relativePath.lastIndexOf(QLatin1Char('/'));
    if (slash < 0)
        return name;
    return request.item.relativePath.left(slash + 1) + name;
}

QString numberedVariant(const QString &relativePath, int n)
{
    const int slash = relativePath.lastIndexOf(QLatin1Char('/'));
    const QString dir = relativePath.left(slash + 1);
    const QString file = relativePath.mid(slash + 1);
    const int dot = file.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0)
        return dir + file + QStringLiteral(" (%1)").arg(n);
    return dir + file.left(dot) + QStringLiteral(" (%1)").arg(n) + file.mid(dot);
}

} // namespace sluice
