// sluice-bench-pool: measures the worker pool against QThreadPool and QtConcurrent.
//
// Prints one JSON object per line on stdout (nothing else goes there); progress goes to stderr.
// See bench/README.md for what each line means.

#include "poolengine.h"
#include "workerpool.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

using namespace sluice;

namespace {

// ---------------------------------------------------------------------------------------------
// Output

// One JSON object, keys in insertion order ("bench" first), printed as one line.
class JsonLine
{
public:
    explicit JsonLine(const char *bench) { add("bench", bench); }

    JsonLine &add(const char *key, const QString &value) { return raw(key, quoted(value)); }
    JsonLine &add(const char *key, const char *value) { return add(key, QString::fromUtf8(value)); }
    JsonLine &add(const char *key, qint64 value) { return raw(key, QString::number(value)); }
    JsonLine &add(const char *key, int value) { return add(key, qint64(value)); }
    JsonLine &add(const char *key, bool value)
    {
        return raw(key, QLatin1String(value ? "true" : "false"));
    }
    JsonLine &add(const char *key, double value, int decimals)
    {
        return raw(key, number(value, decimals));
    }
    JsonLine &add(const char *key, const std::vector<double> &values, int decimals)
    {
        QStringList items;
        for (double v : values)
            items << number(v, decimals);
        return raw(key, QLatin1Char('[') + items.join(QLatin1Char(',')) + QLatin1Char(']'));
    }

    void print() const
    {
        const QByteArray line =
            (QLatin1Char('{') + m_fields.join(QLatin1Char(',')) + QLatin1String("}\n")).toUtf8();
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
    }

private:
    JsonLine &raw(const char *key, const QString &json)
    {
        m_fields << quoted(QString::fromUtf8(key)) + QLatin1Char(':') + json;
        return *this;
    }
    static QString number(double v, int decimals)
    {
        return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("null");
    }
    static QString quoted(const QString &s)
    {
        QString out = QStringLiteral("\"");
        for (QChar c : s) {
            if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
                out += QLatin1Char('\\') + c;
            else if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
        return out + QLatin1Char('"');
    }

    QStringList m_fields;
};

void progress(const QString &message)
{
    std::fprintf(stderr, "[bench] %s\n", qPrintable(message));
    std::fflush(stderr);
}

// Thrown when a measurement cannot be trusted (lost results, timeouts): main exits non-zero.
struct BenchFailure : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

void require(bool ok, const QString &what)
{
    if (!ok)
        throw BenchFailure(what.toStdString());
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? NAN : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

double minimum(const std::vector<double> &v)
{
    return v.empty() ? NAN : *std::min_element(v.begin(), v.end());
}

// ---------------------------------------------------------------------------------------------
// Options

struct Options
{
    QSet<QString> only; // noop, memory, rate, sweep
    QSet<QString>
        impls; // sluice, sluice-engine, sluice-bulk, qthreadpool, qtconcurrent, go-channels
    qint64 tasks = 1000000;
    bool quick = false;
    int rounds = 3; // interleaved rounds of the no-op runs and of the sweeps (--quick: 1 sweep)

    bool wants(const char *mode) const { return only.contains(QLatin1String(mode)); }
    bool wantsImpl(const char *impl) const { return impls.contains(QLatin1String(impl)); }
};

QSet<QString> parseList(const QString &value, const QStringList &allowed, const char *option)
{
    QSet<QString> out;
    for (const QString &item : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = item.trimmed();
        require(allowed.contains(name), QStringLiteral("--%1: unknown value '%2' (allowed: %3)")
                                            .arg(QLatin1String(option), name, allowed.join(',')));
        out.insert(name);
    }
    return out;
}

Options parseOptions(const QCoreApplication &app)
{
    const QStringList modes{"noop", "memory", "rate", "sweep"};
    const QStringList impls{"sluice",      "sluice-engine", "sluice-bulk",
                            "qthreadpool", "qtconcurrent",  "go-channels"};
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchmarks the Sluice worker pool; prints one JSON object per line."));
    parser.addHelpOption();
    parser.addOptions({
        {"only", "Comma list of modes to run: noop,memory,rate,sweep (default: all).", "modes",
         modes.join(',')},
        {"impls", "Comma list of no-op implementations (default: all).", "impls", impls.join(',')},
        {"tasks", "Task count for the no-op and queued-memory runs (default 1000000).", "n"},
        {"quick", "Smoke run with small counts (CI)."},
    });
    parser.process(app);

    Options o;
    o.only = parseList(parser.value("only"), modes, "only");
    o.impls = parseList(parser.value("impls"), impls, "impls");
    o.quick = parser.isSet("quick");
    o.tasks = o.quick ? 20000 : 1000000;
    if (parser.isSet("tasks")) {
        bool ok = false;
        o.tasks = parser.value("tasks").toLongLong(&ok);
        require(ok && o.tasks > 0, QStringLiteral("--tasks needs a positive number"));
    }
    return o;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

TaskOutcome noopTask(const TaskContext &)
{
    return TaskOutcome::done();
}

PoolConfig fixedConfig(int workers)
{
    PoolConfig config;
    config.workers = workers;
    return config;
}

BatchId newBatch(PoolEngine &engine, const char *name)
{
    BatchOptions options;
    options.name = QString::fromLatin1(name);
    const BatchId batch = engine.createBatch(options);
    require(batch != 0, QStringLiteral("createBatch(%1) failed").arg(QLatin1String(name)));
    return batch;
}

void submitAll(PoolEngine &engine, BatchId batch, qint64 tasks, const TaskFunction &fn)
{
    for (qint64 i = 0; i < tasks; ++i) {
        const SubmitResult r = engine.submit(batch, Task(fn));
        if (!r) // not require(): the message must not be built on every call
            throw BenchFailure(QStringLiteral("submit #%1 failed: %2")
                                   .arg(i)
                                   .arg(toString(r.status))
                                   .toStdString());
    }
}

// Done results of a finished batch, checked against what was submitted.
qint64 checkedDone(const PoolEngine &engine, BatchId batch, qint64 tasks)
{
    const BatchCounters c = engine.counters(batch);
    require(c.addsUp(), QStringLiteral("counters do not add up"));
    require(c.submitted == tasks && c.done == tasks,
            QStringLiteral("submitted %1, done %2, expected %3")
                .arg(c.submitted)
                .arg(c.done)
                .arg(tasks));
    return c.done;
}

// ---------------------------------------------------------------------------------------------
// 1-3. No-op overhead: sluice (facade), sluice-engine, QThreadPool, QtConcurrent

struct NoopRun
{
    double nsPerTask = NAN;
    qint64 results = -1; // -1: the implementation does not report results
};

// The full path a GUI uses: WorkerPool facade, results counted through resultsReady, the event
// loop running until batchFinished.
NoopRun noopSluiceFacade(qint64 tasks, int workers)
{
    WorkerPool pool(fixedConfig(workers));
    PoolEngine &engine = pool.engine();
    const BatchId batch = newBatch(engine, "noop");
    QEventLoop loop;
    qint64 results = 0;
    bool finished = false;
    QObject::connect(&pool, &WorkerPool::resultsReady,
                     [&](const QVector<TaskResult> &chunk) { results += chunk.size(); });
    QObject::connect(&pool, &WorkerPool::batchFinished, [&](const BatchSummary &summary) {
        if (summary.id != batch)
            return;
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(300000, &loop, &QEventLoop::quit); // watchdog

    QElapsedTimer timer;
    timer.start();
    submitAll(engine, batch, tasks, noopTask);
    engine.closeBatch(batch);
    if (!finished)
        loop.exec();
    const qint64 ns = timer.nsecsElapsed();

    require(finished, QStringLiteral("batchFinished never arrived"));
    require(
        results == tasks,
        QStringLiteral("resultsReady delivered %1 results for %2 tasks").arg(results).arg(tasks));
    checkedDone(engine, batch, tasks);
    require(pool.shutdown(QDeadlineTimer(10000)), QStringLiteral("facade shutdown timed out"));
    return {double(ns) / tasks, results};
}

// The engine alone, no event collection, fed by `feed`: time from the first submit until the
// batch is idle.
NoopRun timeEngineRun(qint64 tasks, int workers, const char *name,
                      const std::function<void(PoolEngine &, BatchId)> &feed)
{
    PoolEngine engine(fixedConfig(workers));
    engine.setCollectEvents(false);
    const BatchId batch = newBatch(engine, name);

    QElapsedTimer timer;
    timer.start();
    feed(engine, batch);
    engine.closeBatch(batch);
    const bool idle = engine.waitForIdle(QDeadlineTimer(300000));
    const qint64 ns = timer.nsecsElapsed();

    require(idle, QStringLiteral("waitForIdle timed out"));
    const qint64 done = checkedDone(engine, batch, tasks);
    require(engine.shutdown(QDeadlineTimer(10000)), QStringLiteral("engine shutdown timed out"));
    return {double(ns) / tasks, done};
}

// One submit() per task: the facade's cost is the difference to noopSluiceFacade.
NoopRun noopSluiceEngine(qint64 tasks, int workers)
{
    return timeEngineRun(tasks, workers, "noop", [tasks](PoolEngine &engine, BatchId batch) {
        submitAll(engine, batch, tasks, noopTask);
    });
}

// submitMany() in groups of 256, as a folder scanner can do: one lock acquisition per group
// instead of per task.
NoopRun noopSluiceBulk(qint64 tasks, int workers)
{
    return timeEngineRun(tasks, workers, "noop-bulk", [tasks](PoolEngine &engine, BatchId batch) {
        constexpr qint64 Group = 256;
        std::vector<Task> group;
        group.reserve(size_t(Group));
        for (qint64 i = 0; i < tasks; i += Group) {
            group.clear();
            for (qint64 j = i; j < qMin(tasks, i + Group); ++j)
                group.emplace_back(noopTask);
            const SubmitResult r = engine.submitMany(batch, group);
            require(r.accepted == qint64(group.size()), QStringLiteral("submitMany refused tasks"));
        }
    });
}

NoopRun noopQThreadPool(qint64 tasks, int workers)
{
    QThreadPool pool;
    pool.setMaxThreadCount(workers);

    QElapsedTimer timer;
    timer.start();
    for (qint64 i = 0; i < tasks; ++i)
        pool.start([] {});
    pool.waitForDone();
    return {double(timer.nsecsElapsed()) / tasks, -1};
}

// The textbook Go channel worker pool (bench/go-pool), built by CMake when `go` is installed:
// the reference of the overhead target. One run per call, timed inside the Go program.
QString goPoolPath()
{
    QString path = qEnvironmentVariable("SLUICE_GO_POOL", QStringLiteral(SLUICE_GO_POOL));
    return !path.isEmpty() && QFileInfo(path).isExecutable() ? path : QString();
}

NoopRun noopGoChannels(qint64 tasks, int workers)
{
    QProcess go;
    go.start(goPoolPath(),
             {QStringLiteral("--tasks"), QString::number(tasks), QStringLiteral("--workers"),
              QString::number(workers), QStringLiteral("--rounds"), QStringLiteral("1")});
    require(go.waitForFinished(300000) && go.exitStatus() == QProcess::NormalExit &&
                go.exitCode() == 0,
            QStringLiteral("the Go pool failed: %1")
                .arg(QString::fromLocal8Bit(go.readAllStandardError())));
    const QJsonObject line = QJsonDocument::fromJson(go.readAllStandardOutput().trimmed()).object();
    const double ns = line.value(QStringLiteral("ns_per_task")).toDouble(-1);
    require(ns > 0, QStringLiteral("the Go pool printed no ns_per_task"));
    return {ns, -1};
}

NoopRun noopQtConcurrent(qint64 tasks, int workers)
{
    std::vector<int> items(size_t(tasks), 0);
    QThreadPool pool;
    pool.setMaxThreadCount(workers);

    QElapsedTimer timer;
    timer.start();
    QFuture<void> future = QtConcurrent::map(&pool, items, [](int &) {});
    future.waitForFinished();
    return {double(timer.nsecsElapsed()) / tasks, -1};
}

struct NoopImpl
{
    const char *name;
    NoopRun (*measure)(qint64 tasks, int workers);
    std::vector<double> nsPerTask;
    qint64 results = -1;
};

void printNoopLine(const NoopImpl &impl, qint64 tasks, int workers)
{
    JsonLine line("pool-noop");
    line.add("impl", impl.name)
        .add("tasks", tasks)
        .add("workers", workers)
        .add("ns_per_task", minimum(impl.nsPerTask), 1)
        .add("ns_per_task_median", median(impl.nsPerTask), 1)
        .add("runs_ns_per_task", impl.nsPerTask, 1);
    if (impl.results >= 0)
        line.add("results", impl.results);
    line.print();
}

double bestOf(const std::vector<NoopImpl> &impls, const char *name)
{
    for (const NoopImpl &impl : impls)
        if (qstrcmp(impl.name, name) == 0)
            return minimum(impl.nsPerTask);
    return NAN;
}

void printNoopRatio(const std::vector<NoopImpl> &impls)
{
    const double qtp = bestOf(impls, "qthreadpool");
    const double sluice = bestOf(impls, "sluice");
    if (std::isnan(qtp) || std::isnan(sluice))
        return;
    JsonLine line("pool-noop-ratio");
    line.add("sluice_over_qthreadpool", sluice / qtp, 3)
        .add("sluice_engine_over_qthreadpool", bestOf(impls, "sluice-engine") / qtp, 3)
        .add("sluice_bulk_over_qthreadpool", bestOf(impls, "sluice-bulk") / qtp, 3)
        .add("sluice_over_qtconcurrent", sluice / bestOf(impls, "qtconcurrent"), 3);
    const double go = bestOf(impls, "go-channels");
    if (!std::isnan(go)) {
        line.add("sluice_over_go_channels", sluice / go, 3)
            .add("sluice_engine_over_go_channels", bestOf(impls, "sluice-engine") / go, 3);
    }
    line.print();
}

void runNoop(const Options &o)
{
    const int workers = 2;
    std::vector<NoopImpl> impls;
    const std::vector<NoopImpl> all{
        {"sluice", noopSluiceFacade, {}},       {"sluice-engine", noopSluiceEngine, {}},
        {"sluice-bulk", noopSluiceBulk, {}},    {"qthreadpool", noopQThreadPool, {}},
        {"qtconcurrent", noopQtConcurrent, {}}, {"go-channels", noopGoChannels, {}}};
    for (const NoopImpl &impl : all) {
        if (!o.wantsImpl(impl.name))
            continue;
        if (qstrcmp(impl.name, "go-channels") == 0 && goPoolPath().isEmpty()) {
            JsonLine("pool-noop")
                .add("impl", impl.name)
                .add("skipped", true)
                .add("reason", "no Go pool binary: install golang-go and rebuild, or set "
                               "SLUICE_GO_POOL")
                .print();
            continue;
        }
        impls.push_back(impl);
    }

    // Interleaved rounds, so that a noisy moment on the machine hits every implementation.
    for (int round = 1; round <= o.rounds; ++round) {
        for (NoopImpl &impl : impls) {
            const NoopRun run = impl.measure(o.tasks, workers);
            impl.nsPerTask.push_back(run.nsPerTask);
            impl.results = run.results;
            progress(QStringLiteral("noop round %1/%2 %3: %4 ns/task")
                         .arg(round)
                         .arg(o.rounds)
                         .arg(QLatin1String(impl.name))
                         .arg(run.nsPerTask, 0, 'f', 1));
        }
    }
    for (const NoopImpl &impl : impls)
        printNoopLine(impl, o.tasks, workers);
    printNoopRatio(impls);
}

// ---------------------------------------------------------------------------------------------
// 4. Peak RSS with the tasks queued in a paused pool

// A "Vm...:  1234 kB" field of /proc/self/status, in kB; -1 when unavailable.
qint64 procStatusKb(const char *field)
{
    std::ifstream status("/proc/self/status");
    const std::string prefix = std::string(field) + ":";
    for (std::string line; std::getline(status, line);)
        if (line.compare(0, prefix.size(), prefix) == 0)
            return std::stoll(line.substr(prefix.size()));
    return -1;
}

void runMemory(const Options &o)
{
    const qint64 rssBeforeKb = procStatusKb("VmRSS");
    WorkerPool pool(fixedConfig(2));
    PoolEngine &engine = pool.engine();
    engine.pauseAll();
    const BatchId batch = newBatch(engine, "queued");

    QElapsedTimer timer;
    timer.start();
    submitAll(engine, batch, o.tasks, noopTask);
    const double submitNs = double(timer.nsecsElapsed()) / o.tasks;
    const qint64 rssKb = procStatusKb("VmRSS");
    const qint64 hwmKb = procStatusKb("VmHWM");
    require(engine.counters(batch).queued == o.tasks, QStringLiteral("tasks ran while paused"));

    const double deltaBytes = double(hwmKb - rssBeforeKb) * 1024;
    JsonLine("pool-queued-memory")
        .add("tasks", o.tasks)
        .add("rss_mb", hwmKb / 1024.0, 1)
        .add("delta_mb", deltaBytes / (1024.0 * 1024.0), 1)
        .add("bytes_per_task", deltaBytes / o.tasks, 1)
        .add("rss_before_mb", rssBeforeKb / 1024.0, 1)
        .add("vmrss_mb", rssKb / 1024.0, 1)
        .add("submit_ns_per_task", submitNs, 1)
        .print();

    engine.cancelAll();
    require(pool.shutdown(QDeadlineTimer(10000)),
            QStringLiteral("shutdown after cancel timed out"));
    const BatchCounters c = engine.counters(batch);
    require(c.addsUp() && c.canceled == o.tasks,
            QStringLiteral("after cancelAll: %1 canceled of %2").arg(c.canceled).arg(o.tasks));
}

// ---------------------------------------------------------------------------------------------
// 5. Rate limit on a real clock

void runRate(const Options &o)
{
    const qint64 tasks = o.quick ? 10 : 100;
    const double rate = 20;
    const int workers = 4;
    PoolConfig config = fixedConfig(workers);
    config.rate = RateLimit{rate, 1};
    PoolEngine engine(config);
    engine.setCollectEvents(false);
    const BatchId batch = newBatch(engine, "rate");

    QElapsedTimer timer;
    timer.start();
    submitAll(engine, batch, tasks, noopTask);
    engine.closeBatch(batch);
    const bool finished = engine.waitForBatch(batch, QDeadlineTimer(60000));
    const double seconds = timer.nsecsElapsed() / 1e9;
    require(finished, QStringLiteral("rate batch did not finish within 60 s"));
    checkedDone(engine, batch, tasks);

    // The bucket starts with one token, so the first task runs at once.
    const double expected = (tasks - 1) / rate;
    JsonLine("pool-rate")
        .add("tasks", tasks)
        .add("rate", rate, 1)
        .add("burst", 1)
        .add("workers", workers)
        .add("seconds", seconds, 3)
        .add("expected_seconds", expected, 2)
        .add("error_pct", (seconds - expected) / expected * 100, 2)
        .print();
}

// ---------------------------------------------------------------------------------------------
// 6. Worker sweeps, CPU-bound and I/O-bound, fixed counts against Auto

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// A CPU-bound fake task: arithmetic until this thread has used cpuNs of CPU time. Bounded by
// CPU time rather than by an iteration count because the clock speed of this machine's cores
// varies several-fold from one millisecond to the next (a fixed loop took 0.7-4.3 ms), which
// made sweep points incomparable; CPU time is the work the cores actually did.
void spinCpu(qint64 cpuNs)
{
    const qint64 end = threadCpuNs() + cpuNs;
    volatile quint64 acc = 0;
    do {
        for (quint64 i = 0; i < 4096; ++i)
            acc = acc + i * 2654435761u;
    } while (threadCpuNs() < end);
}

struct SweepKind
{
    const char *name;  // "cpu" or "io"
    TaskFunction task; // one fake task
    // Tasks for one point, so that it lasts about the same time whatever its speed.
    qint64 (*tasksFor)(int workers, bool quick);
};

struct SweepPoint
{
    int workers = 0; // 0: Auto
    qint64 tasks = 0;
    double tasksPerSecond = 0;
    int peakRunning = 0;
    int targetAtEnd = 0;
};

const int AutoCap = 64;
const std::vector<int> SweepCounts{1, 2, 4, 8, 16, 32, 0}; // 0: Auto

SweepPoint measureSweepPoint(const SweepKind &kind, int workers, bool quick)
{
    SweepPoint point;
    point.workers = workers;
    point.tasks = kind.tasksFor(workers, quick);
    PoolEngine engine(fixedConfig(workers > 0 ? workers : 2));
    if (workers == 0)
        engine.setAutoWorkers(AutoCap);
    engine.setCollectEvents(false);
    const BatchId batch = newBatch(engine, kind.name);

    QElapsedTimer timer;
    timer.start();
    submitAll(engine, batch, point.tasks, kind.task);
    engine.closeBatch(batch);
    const bool finished = engine.waitForBatch(batch, QDeadlineTimer(120000));
    const qint64 ns = timer.nsecsElapsed();
    require(finished, QStringLiteral("sweep point did not finish within 120 s"));
    checkedDone(engine, batch, point.tasks);

    point.tasksPerSecond = point.tasks * 1e9 / ns;
    point.peakRunning = engine.peakRunning();
    point.targetAtEnd = engine.targetWorkers();
    require(
        workers == 0 || point.peakRunning <= workers,
        QStringLiteral("%1 tasks ran at once on %2 workers").arg(point.peakRunning).arg(workers));
    engine.shutdown(QDeadlineTimer(10000));
    return point;
}

QString workersLabel(int workers)
{
    return workers == 0 ? QStringLiteral("auto") : QString::number(workers);
}

// The runs of one worker count: the best one is reported, with the median beside it.
struct SweepRuns
{
    int workers = 0;
    std::vector<SweepPoint> runs;

    const SweepPoint &best() const
    {
        return *std::max_element(runs.begin(), runs.end(), [](const auto &a, const auto &b) {
            return a.tasksPerSecond < b.tasksPerSecond;
        });
    }
    double medianTasksPerSecond() const
    {
        std::vector<double> v;
        for (const SweepPoint &p : runs)
            v.push_back(p.tasksPerSecond);
        return median(v);
    }
};

void printSweepLine(const SweepKind &kind, const SweepRuns &r)
{
    const SweepPoint &p = r.best();
    JsonLine line("pool-sweep");
    line.add("kind", kind.name);
    if (p.workers == 0)
        line.add("workers", "auto");
    else
        line.add("workers", p.workers);
    line.add("tasks", p.tasks)
        .add("tasks_per_s", p.tasksPerSecond, 1)
        .add("tasks_per_s_median", r.medianTasksPerSecond(), 1)
        .add("peak_running", p.peakRunning);
    if (p.workers == 0)
        line.add("auto_workers_at_end", p.targetAtEnd).add("auto_cap", AutoCap);
    line.print();
}

void printSweepSummary(const SweepKind &kind, const std::vector<SweepRuns> &all)
{
    const SweepPoint *bestFixed = nullptr;
    const SweepPoint *autoPoint = nullptr;
    for (const SweepRuns &r : all) {
        const SweepPoint &p = r.best();
        if (p.workers == 0)
            autoPoint = &p;
        else if (!bestFixed || p.tasksPerSecond > bestFixed->tasksPerSecond)
            bestFixed = &p;
    }
    JsonLine("pool-sweep-auto")
        .add("kind", kind.name)
        .add("auto_tasks_per_s", autoPoint->tasksPerSecond, 1)
        .add("best_fixed", bestFixed->workers)
        .add("best_fixed_tasks_per_s", bestFixed->tasksPerSecond, 1)
        .add("auto_over_best", autoPoint->tasksPerSecond / bestFixed->tasksPerSecond, 3)
        .print();
}

// Interleaved rounds over all worker counts, like the no-op runs.
void runSweep(const SweepKind &kind, const Options &o)
{
    std::vector<SweepRuns> all;
    for (int workers : SweepCounts)
        all.push_back({workers, {}});
    const int rounds = o.quick ? 1 : o.rounds;
    for (int round = 1; round <= rounds; ++round) {
        for (SweepRuns &r : all) {
            r.runs.push_back(measureSweepPoint(kind, r.workers, o.quick));
            const SweepPoint &p = r.runs.back();
            progress(QStringLiteral("sweep %1 round %2/%3 workers=%4: %5 tasks/s (peak running %6)")
                         .arg(QLatin1String(kind.name))
                         .arg(round)
                         .arg(rounds)
                         .arg(workersLabel(p.workers))
                         .arg(p.tasksPerSecond, 0, 'f', 1)
                         .arg(p.peakRunning));
        }
    }
    for (const SweepRuns &r : all)
        printSweepLine(kind, r);
    printSweepSummary(kind, all);
}

// CPU: 2 ms of CPU time per task; the same count for every point (1 worker: ~3 s).
qint64 cpuTasksFor(int, bool quick)
{
    return quick ? 20 : 1500;
}

// I/O: 5 ms of sleep per task; ~2 s per fixed point (N workers do ~200 N tasks/s). Auto gets as
// many tasks as the largest fixed count.
qint64 ioTasksFor(int workers, bool quick)
{
    const int n = workers > 0 ? workers : 32;
    return qint64(n) * (quick ? 8 : 400);
}

void runSweeps(const Options &o)
{
    const SweepKind cpu{"cpu",
                        [](const TaskContext &) {
                            spinCpu(2000000);
                            return TaskOutcome::done();
                        },
                        cpuTasksFor};
    const SweepKind io{"io",
                       [](const TaskContext &) {
                           std::this_thread::sleep_for(std::chrono::milliseconds(5));
                           return TaskOutcome::done();
                       },
                       ioTasksFor};
    runSweep(cpu, o);
    runSweep(io, o);
}

// ---------------------------------------------------------------------------------------------

void runSelected(const Options &o)
{
    // First, so that the process peak (VmHWM) is not inflated by the other measurements. Not in
    // a child process: after a QProcess child, ThreadSanitizer reported bogus races in the pool
    // (accesses under the pool's mutex seen as unlocked).
    if (o.wants("memory"))
        runMemory(o);
    if (o.wants("noop"))
        runNoop(o);
    if (o.wants("rate"))
        runRate(o);
    if (o.wants("sweep"))
        runSweeps(o);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sluice-bench-pool"));
    try {
        const Options options = parseOptions(app);
        QElapsedTimer total;
        total.start();
        runSelected(options);
        progress(QStringLiteral("done in %1 s").arg(total.elapsed() / 1000.0, 0, 'f', 1));
    } catch (const BenchFailure &failure) {
        std::fprintf(stderr, "[bench] FAILED: %s\n", failure.what());
        return 1;
    }
    return 0;
}
