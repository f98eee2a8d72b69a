#include "sink.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace sluice {

QString sourceStamp(const QString &relativePath)
{
    const QByteArray digest =
        QCryptographicHash::hash(QByteArrayLiteral("sluice-source-v1\n") + relativePath.toUtf8(),
                                 QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex().left(16));
}

QString applyNamingTemplate(const QString &nameTemplate, const OutputRequest &request)
{
    const QString fileName = request.item.relativePath.section(QLatin1Char('/'), -1);
    const int dot = fileName.lastIndexOf(QLatin1Char('.'));
    const QString baseName = dot > 0 ? fileName.left(dot) : fileName;

    QString name = nameTemplate;
    name.replace(QStringLiteral("{name}"), baseName);
    name.replace(QStringLiteral("{ext}"), request.extension);
    name.replace(QStringLiteral("{w}"), QString::number(request.outputSize.width()));
    name.replace(QStringLiteral("{h}"), QString::number(request.outputSize.height()));
    name.replace(QStringLiteral("{index}"), QString::number(request.item.index));
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    name.replace(QLatin1Char('\\'), QLatin1Char('_'));
    for (QChar &c : name) {
        if (c.unicode() < 0x20)
            c = QLatin1Char('_');
    }
    if (name.isEmpty() || name == u"." || name == u"..")
        name = QStringLiteral("_");
    return name;
}

QString unknownNamingToken(const QString &nameTemplate)
{
    static const QRegularExpression token(QStringLiteral("\\{[^{}]*\\}"));
    static const QStringList known = {QStringLiteral("{name}"), QStringLiteral("{ext}"),
                                      QStringLiteral("{w}"), QStringLiteral("{h}"),
                                      QStringLiteral("{index}")};
    for (const QRegularExpressionMatch &match : token.globalMatch(nameTemplate)) {
        if (!known.contains(match.captured()))
            return match.captured();
    }
    return {};
}

QString namingTemplateError(const QString &nameTemplate)
{
    const QString token = unknownNamingToken(nameTemplate);
    if (token.isEmpty())
        return {};
    return QStringLiteral("unknown token %1 in the name template (use {name}, {ext}, {w}, {h} "
                          "or {index})")
        .arg(token);
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
