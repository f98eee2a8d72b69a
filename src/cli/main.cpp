// sluice-cli: the terminal front end. Parses the command line, sets the image limits, and
// hands one batch to a Runner; see runner.h for what a run does and clioptions.cpp for --help.
#include "clioptions.h"
#include "demo.h"
#include "reportmerge.h"
#include "runner.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QTimer>
#include <cstdio>
#include <localpath.h>
#include <recipe.h>

using namespace sluice;
using namespace sluice::cli;

namespace {

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

// Returns false (after printing why) when the demo cannot be set up.
bool setUpDemo(CliOptions &options, DemoSetup &demo)
{
    QString error;
    if (!prepareDemo(options, demo, &error)) {
        print(stderr, QStringLiteral("sluice-cli: %1\n").arg(error));
        return false;
    }
    print(stdout, QStringLiteral("Demo: %1 built-in sample images, %2 px, into %3\n")
                      .arg(demo.sampleCount)
                      .arg(options.recipe.targetSize.width())
                      .arg(options.output));
    return true;
}

// What Qt and its image libraries say about an input ("libpng warning: iCCP: known incorrect
// sRGB profile", "Corrupt JPEG data: ...", "qt.gui.icc: ...") is not for the terminal: the
// outcome of every input is in the summary and the report. Under -q nothing but errors is.
// SLUICE_IMAGE_WARNINGS=1 lets them through, for debugging.
QtMessageHandler qtHandler = nullptr;
bool quietRun = false;

bool aboutAnInput(const QMessageLogContext &context, const QString &message)
{
    const QByteArray category(context.category ? context.category : "");
    if (category.startsWith("qt.gui.") || category.startsWith("qt.imageformats") ||
        category.startsWith("sluice.imageio"))
        return true;
    static const char *const prefixes[] = {
        "libpng ",     "Corrupt JPEG data", "Premature end of JPEG",
        "Invalid SOS", "QColorSpace",       "QImage",
        "QICCParser",  "libtiff",           "TIFF",
        "QGifHandler"};
    for (const char *prefix : prefixes)
        if (message.startsWith(QLatin1String(prefix)))
            return true;
    return false;
}

void filterMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const bool chatter = type == QtDebugMsg || type == QtInfoMsg || type == QtWarningMsg;
    if (chatter && (quietRun || aboutAnInput(context, message)))
        return;
    if (qtHandler)
        qtHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(message));
}

} // namespace

int main(int argc, char *argv[])
{
    // Image I/O plugins work under QCoreApplication; no display is needed.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sluice-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    // From argv itself: QCoreApplication::arguments() cannot hold a file name that is not UTF-8.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << localpath::decode(QByteArray(argv[i]));
    ParseOutcome parsed = parseCommandLine(arguments);
    if (parsed.kind == ParseOutcome::Kind::ExitOk) {
        print(stdout, parsed.message);
        return 0;
    }
    if (parsed.kind == ParseOutcome::Kind::UsageError) {
        print(stderr, parsed.message);
        return 2;
    }
    CliOptions &options = parsed.options;
    if (options.mergeReports)
        return runMergeReports(options.inputs, options.output,
                               {options.expectedInputs, options.includeHidden}, options.quiet);
    quietRun = options.quiet;
    if (!qEnvironmentVariableIsSet("SLUICE_IMAGE_WARNINGS"))
        qtHandler = qInstallMessageHandler(filterMessages);
    DemoSetup demo; // keeps the demo's temporary input folder until the run ends
    if (options.demo && !setUpDemo(options, demo))
        return 1;

    applyProcessLimits(options.recipe);
    SignalWatcher signalWatcher;
    Runner runner(options);
    QObject::connect(&signalWatcher, &SignalWatcher::interrupted, &runner, &Runner::interrupt);
    QObject::connect(&runner, &Runner::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    QTimer::singleShot(0, &runner, &Runner::start);
    return app.exec();
}
