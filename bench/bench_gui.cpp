// sluice-bench-gui: event-loop latency of the real main window during a large batch.
//
// Drives MainWindow (offscreen unless QT_QPA_PLATFORM says otherwise) through one batch of
// --tasks images: a folder of hard links to one tiny PNG, dropped through MainWindow::addInputs()
// like a drop, so every task goes through the feeder, the pool, the real image job and sink, and
// its result through BatchModel, ItemsModel, ProgressDelegate and the status bar. Each task also
// spins for --work-us microseconds first (the GUI tests' task hook) to stand in for heavier work.
//
// Meanwhile a 1 ms Qt::PreciseTimer ticks on the GUI thread; each tick's latency is its actual
// interval minus the expected 1 ms. Prints one JSON line on stdout:
//   {"bench":"gui-latency","tasks":100000,"p99_ms":…,"max_ms":…,"mean_ms":…,…}
// Progress and diagnostics go to stderr. Exit status 1 when the batch did not finish.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <batchmanager.h>
#include <batchmodel.h>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mainwindow.h>
#include <numeric>
#include <unistd.h>
#include <vector>

using namespace sluice;
using namespace sluice::app;

namespace {

struct Options
{
    int tasks = 100000;
    int workUs = 100;
    int workers = 0; // 0: the machine's cores
    int timeoutS = 900;
};

// `count` names in `folder` for one tiny PNG: hard links when the file system allows.
bool makeInputs(const QString &folder, int count)
{
    if (!QDir().mkpath(folder))
        return false;
    const QString original = QDir(folder).filePath(QStringLiteral("img000000.png"));
    QImage image(8, 6, QImage::Format_RGB32);
    image.fill(QColor(31, 111, 139));
    if (!image.save(original, "PNG"))
        return false;
    const QByteArray source = QFile::encodeName(original);
    for (int i = 1; i < count; ++i) {
        const QString name =
            QDir(folder).filePath(QStringLiteral("img%1.png").arg(i, 6, 10, QLatin1Char('0')));
        if (::link(source.constData(), QFile::encodeName(name).constData()) != 0 &&
            !QFile::copy(original, name))
            return false;
    }
    return true;
}

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    const size_t index = size_t(std::ceil(p * double(sorted.size()))) - 1;
    return sorted[std::min(index, sorted.size() - 1)];
}

QString number(double v)
{
    return QString::number(v, 'f', 3);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sluice-bench-gui"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Event-loop latency of the Sluice main window during a large batch."));
    parser.addHelpOption();
    parser.addOptions({
        {"quick", QStringLiteral("Smoke run: 5,000 tasks.")},
        {"tasks", QStringLiteral("Images in the batch (default 100000)."), "n"},
        {"work-us", QStringLiteral("Fake work per task before the image job (default 100)."), "us"},
        {"workers", QStringLiteral("Pool workers (default: the number of cores)."), "n"},
        {"timeout", QStringLiteral("Give up after this many seconds (default 900)."), "s"},
    });
    parser.process(app);
    Options o;
    if (parser.isSet("quick"))
        o.tasks = 5000;
    if (parser.isSet("tasks"))
        o.tasks = qMax(1, parser.value("tasks").toInt());
    if (parser.isSet("work-us"))
        o.workUs = qMax(0, parser.value("work-us").toInt());
    o.workers = parser.isSet("workers") ? qBound(1, parser.value("workers").toInt(), 64)
                                        : qMax(1, QThread::idealThreadCount());
    if (parser.isSet("timeout"))
        o.timeoutS = qMax(1, parser.value("timeout").toInt());

    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a temporary folder\n");
        return 2;
    }
    QElapsedTimer prep;
    prep.start();
    const QString folder = dir.filePath(QStringLiteral("bench"));
    if (!makeInputs(folder, o.tasks)) {
        std::fprintf(stderr, "cannot create the inputs in %s\n", qPrintable(folder));
        return 2;
    }
    std::fprintf(stderr, "gui-latency: %d inputs ready in %.1f s; %d workers, %d us fake work\n",
                 o.tasks, prep.elapsed() / 1000.0, o.workers, o.workUs);

    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("pool/workers"), o.workers);
    settings.setValue(QStringLiteral("pool/rate"), 0.0);
    // Journals as in real use, in the bench's own folder.
    settings.setValue(QStringLiteral("journal/directory"),
                      dir.filePath(QStringLiteral("journals")));
    MainWindow window(settings);
    const int workUs = o.workUs;
    window.manager()->setTaskHook([workUs](const TaskContext &ctx) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(workUs);
        while (std::chrono::steady_clock::now() < until && !ctx.isCanceled()) {
        }
    });
    window.resize(1260, 720);
    window.show();

    std::vector<double> latencies;
    latencies.reserve(size_t(o.tasks) * 2 + 100000);
    QElapsedTimer clock;
    QElapsedTimer run;
    qint64 lastNs = -1;
    BatchId batch = 0;
    bool finished = false;
    bool timedOut = false;

    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastNs >= 0)
            latencies.push_back(qMax(0.0, double(now - lastNs) / 1e6 - 1.0));
        lastNs = now;
        const BatchState state = window.batchModel()->stateOf(batch);
        if (state == BatchState::Finished || state == BatchState::Canceled) {
            finished = state == BatchState::Finished;
            ticker.stop();
            app.quit();
        } else if (run.elapsed() > qint64(o.timeoutS) * 1000) {
            timedOut = true;
            ticker.stop();
            app.quit();
        }
    });
    QTimer::singleShot(0, &app, [&] {
        clock.start();
        run.start();
        batch = window.addInputs({folder});
        if (batch == 0) {
            std::fprintf(stderr, "the batch was not queued\n");
            app.quit();
            return;
        }
        ticker.start();
    });
    app.exec();
    const double runSeconds = run.elapsed() / 1000.0;

    const BatchCounters counters = window.batchModel()->countersOf(batch);
    const qint64 results = counters.done + counters.failed + counters.skipped;
    std::fprintf(stderr,
                 "gui-latency: %s after %.1f s: %lld done, %lld failed, %lld skipped; %zu ticks\n",
                 finished ? "finished" : (timedOut ? "timed out" : "stopped"), runSeconds,
                 qlonglong(counters.done), qlonglong(counters.failed), qlonglong(counters.skipped),
                 latencies.size());
    window.shutdownAndClose();

    std::vector<double> sorted = latencies;
    std::sort(sorted.begin(), sorted.end());
    const double mean =
        sorted.empty() ? 0 : std::accumulate(sorted.begin(), sorted.end(), 0.0) / sorted.size();
    const QString line =
        QStringLiteral("{\"bench\":\"gui-latency\",\"tasks\":%1,\"p99_ms\":%2,\"max_ms\":%3,"
                       "\"mean_ms\":%4,\"p50_ms\":%5,\"ticks\":%6,\"run_s\":%7,\"results\":%8,"
                       "\"done\":%9,\"workers\":%10,\"work_us\":%11,\"finished\":%12}")
            .arg(o.tasks)
            .arg(number(percentile(sorted, 0.99)), number(sorted.empty() ? 0 : sorted.back()),
                 number(mean), number(percentile(sorted, 0.50)))
            .arg(qulonglong(sorted.size()))
            .arg(QString::number(runSeconds, 'f', 2))
            .arg(results)
            .arg(counters.done)
            .arg(o.workers)
            .arg(o.workUs)
            .arg(finished ? QStringLiteral("true") : QStringLiteral("false"));
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
    return finished && results == o.tasks ? 0 : 1;
}
