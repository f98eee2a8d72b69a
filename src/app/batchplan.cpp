#include "batchplan.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace sluice::app {

namespace {

QString baseNameOf(const QFileInfo &info)
{
    const QString name = info.isDir() ? info.fileName() : info.completeBaseName();
    return name.isEmpty() ? QStringLiteral("output") : name;
}

} // namespace

QString batchNameFor(const QStringList &inputs)
{
    if (inputs.isEmpty())
        return {};
    const QString first = QFileInfo(QDir::cleanPath(inputs.first())).fileName();
    if (inputs.size() == 1)
        return first;
    const int more = int(inputs.size()) - 1;
    return QCoreApplication::translate("sluice::app::BatchPlan", "%1 + %n more", nullptr, more)
        .arg(first);
}

QString outputPathFor(const QStringList &inputs, const OutputChoice &choice)
{
    if (inputs.isEmpty())
        return {};
    const QFileInfo first(QDir::cleanPath(inputs.first()));
    const QString dir = choice.folder.isEmpty() ? first.absolutePath() : choice.folder;
    const QString name = baseNameOf(first) + QStringLiteral("-sluice");
    return QDir(dir).absoluteFilePath(choice.zip ? name + QStringLiteral(".zip") : name);
}

QString retryZipPathFor(const QString &zipPath)
{
    const QFileInfo info(zipPath);
    const QString stem = info.absolutePath() + QLatin1Char('/') + info.completeBaseName();
    QString candidate = stem + QStringLiteral("-retry.zip");
    for (int n = 2; QFileInfo::exists(candidate); ++n)
        candidate = stem + QStringLiteral("-retry-%1.zip").arg(n);
    return candidate;
}

} // namespace sluice::app
