#include "demo.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

namespace sluice::cli {

namespace {

constexpr int DemoSize = 640;

int copySamples(const QString &into, QString *error)
{
    int copied = 0;
    QDirIterator it(QStringLiteral(":/samples"), QDir::Files);
    while (it.hasNext()) {
        const QString from = it.next();
        const QString to = into + QLatin1Char('/') + it.fileName();
        if (!QFile::copy(from, to)) {
            *error = QStringLiteral("cannot copy the sample %1 to %2").arg(from, to);
            return -1;
        }
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                      QFile::ReadOther);
        ++copied;
    }
    return copied;
}

bool makeTemporaryOutput(CliOptions &options, DemoSetup &setup, QString *error)
{
    QTemporaryDir output(QDir::tempPath() + QStringLiteral("/sluice-demo-XXXXXX"));
    if (!output.isValid()) {
        *error =
            QStringLiteral("cannot create a temporary output folder: %1").arg(output.errorString());
        return false;
    }
    output.setAutoRemove(false);
    options.output = output.path();
    options.outputIsZip = false;
    setup.outputIsTemporary = true;
    return true;
}

} // namespace

bool prepareDemo(CliOptions &options, DemoSetup &setup, QString *error)
{
    setup.inputRoot = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                      QStringLiteral("/sluice-demo-in-XXXXXX"));
    const QString samples = setup.inputRoot->path() + QStringLiteral("/samples");
    if (!setup.inputRoot->isValid() || !QDir().mkpath(samples)) {
        *error = QStringLiteral("cannot create a temporary folder for the samples");
        return false;
    }
    setup.sampleCount = copySamples(samples, error);
    if (setup.sampleCount <= 0) {
        if (error->isEmpty())
            *error = QStringLiteral("no sample images are built into this sluice-cli");
        return false;
    }
    options.inputs = {samples};
    if (!options.sizeGiven)
        options.recipe.targetSize = QSize(DemoSize, DemoSize);
    return !options.output.isEmpty() || makeTemporaryOutput(options, setup, error);
}

} // namespace sluice::cli
