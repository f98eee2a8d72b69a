// AutoScaler: the Auto worker count as pure logic, fed with made-up measurements.
#include "autoscaler.h"

#include <QTest>

using sluice::AutoSample;
using sluice::AutoScaler;

namespace {

constexpr qint64 Ms = 1000000;
constexpr int Cores = 2;
constexpr int Cap = 16;
constexpr int Rounds = 200; // far more intervals than any sane policy needs to settle

// One 200 ms interval in which `workers` threads each ran 20 tasks of 10 ms wall time, of
// which cpuShare was spent computing.
AutoSample sample(int workers, double cpuShare, double machineIdle, bool backlog)
{
    AutoSample s;
    s.intervalNs = 200 * Ms;
    s.tasks = 20 * qint64(workers);
    s.taskWallNs = s.tasks * 10 * Ms;
    s.taskCpuNs = qint64(double(s.taskWallNs) * cpuShare);
    s.backlog = backlog;
    s.machineIdle = machineIdle;
    return s;
}

AutoSample waiting(int workers)
{
    return sample(workers, 0.02, 0.9, true);
}
AutoSample computing(int workers)
{
    return sample(workers, 0.98, 0.02, true);
}

// Feeds the same kind of interval until the target stops moving; checks bounds on the way.
template<typename MakeSample>
int settle(AutoScaler &scaler, MakeSample make)
{
    for (int i = 0; i < Rounds; ++i) {
        const int target = scaler.update(make(scaler.target()));
        if (target < scaler.cores() || target > scaler.cap())
            return -1;
        if (target != scaler.target())
            return -2;
    }
    return scaler.target();
}

} // namespace

class tst_AutoScaler : public QObject
{
    Q_OBJECT

private slots:
    void startsAtCores();
    void growsWhenTasksWaitWithBacklog();
    void growsWhileWaiting_data();
    void growsWhileWaiting();
    void growsStepByStep();
    void staysAtCores_data();
    void staysAtCores();
    void fallsBackToCoresWhenCpuBound_data();
    void fallsBackToCoresWhenCpuBound();
    void capChangesAreHonoured();
    void reset();
};

void tst_AutoScaler::startsAtCores()
{
    AutoScaler scaler(Cores, Cap);
    QCOMPARE(scaler.cores(), Cores);
    QCOMPARE(scaler.cap(), Cap);
    QCOMPARE(scaler.target(), Cores);
}

void tst_AutoScaler::growsWhenTasksWaitWithBacklog()
{
    AutoScaler scaler(Cores, Cap);
    QCOMPARE(settle(scaler, waiting), Cap);
}

void tst_AutoScaler::growsWhileWaiting_data()
{
    QTest::addColumn<double>("cpuShare");
    QTest::addColumn<double>("machineIdle");
    QTest::newRow("sleeping, machine idle") << 0.01 << 0.95;
    QTest::newRow("sleeping, machine busy with other work") << 0.02 << 0.02;
    QTest::newRow("sleeping, idle share unknown") << 0.02 << -1.0;
    QTest::newRow("half waiting, idle cores") << 0.35 << 0.6;
}

// Tasks that barely compute grow the pool whatever else loads the machine; tasks that compute
// somewhat grow it only while there are idle cores.
void tst_AutoScaler::growsWhileWaiting()
{
    QFETCH(double, cpuShare);
    QFETCH(double, machineIdle);
    AutoScaler scaler(Cores, Cap);
    const int next = scaler.update(sample(Cores, cpuShare, machineIdle, true));
    QVERIFY2(next > Cores, qPrintable(QString("target %1").arg(next)));
}

void tst_AutoScaler::growsStepByStep()
{
    AutoScaler scaler(Cores, Cap);
    const int first = scaler.update(waiting(Cores));
    QVERIFY2(first > Cores, qPrintable(QString("target %1").arg(first)));
    QVERIFY(first <= Cap);
    int previous = first;
    for (int i = 0; i < Rounds; ++i) {
        const int next = scaler.update(waiting(previous));
        QVERIFY2(next >= previous, "shrank while tasks wait and there is backlog");
        QVERIFY(next <= Cap);
        previous = next;
    }
}

void tst_AutoScaler::staysAtCores_data()
{
    QTest::addColumn<double>("cpuShare");
    QTest::addColumn<double>("machineIdle");
    QTest::addColumn<bool>("backlog");

    QTest::newRow("CPU-bound (cpu = wall)") << 1.0 << 0.5 << true;
    QTest::newRow("CPU-bound (cpu 95% of wall)") << 0.95 << 0.5 << true;
    QTest::newRow("half waiting, machine saturated") << 0.3 << 0.02 << true;
    QTest::newRow("half waiting, machine fully busy") << 0.3 << 0.0 << true;
    QTest::newRow("waiting, no backlog") << 0.02 << 0.9 << false;
    QTest::newRow("CPU-bound and saturated") << 1.0 << 0.0 << true;
}

void tst_AutoScaler::staysAtCores()
{
    QFETCH(double, cpuShare);
    QFETCH(double, machineIdle);
    QFETCH(bool, backlog);
    AutoScaler scaler(Cores, Cap);
    for (int i = 0; i < Rounds; ++i) {
        QCOMPARE(scaler.update(sample(scaler.target(), cpuShare, machineIdle, backlog)), Cores);
        QCOMPARE(scaler.target(), Cores);
    }
}

void tst_AutoScaler::fallsBackToCoresWhenCpuBound_data()
{
    QTest::addColumn<double>("cpuShare");
    QTest::addColumn<double>("machineIdle");
    QTest::newRow("CPU-bound") << 0.98 << 0.4;
    QTest::newRow("half waiting, machine saturated") << 0.35 << 0.01;
}

void tst_AutoScaler::fallsBackToCoresWhenCpuBound()
{
    QFETCH(double, cpuShare);
    QFETCH(double, machineIdle);
    AutoScaler scaler(Cores, Cap);
    QCOMPARE(settle(scaler, waiting), Cap);

    int previous = scaler.target();
    for (int i = 0; i < Rounds; ++i) {
        const int next = scaler.update(sample(previous, cpuShare, machineIdle, true));
        QVERIFY2(next <= previous, "grew while CPU-bound or saturated");
        QVERIFY2(next >= Cores, "below the core count");
        previous = next;
    }
    QCOMPARE(scaler.target(), Cores);
}

void tst_AutoScaler::capChangesAreHonoured()
{
    AutoScaler scaler(Cores, Cap);
    QCOMPARE(settle(scaler, waiting), Cap);

    scaler.setCap(6);
    QCOMPARE(scaler.cap(), 6);
    QVERIFY(scaler.update(waiting(scaler.target())) <= 6);
    QCOMPARE(settle(scaler, waiting), 6);

    scaler.setCap(32);
    QCOMPARE(settle(scaler, waiting), 32);
    QCOMPARE(settle(scaler, computing), Cores);
}

void tst_AutoScaler::reset()
{
    AutoScaler scaler(Cores, Cap);
    QCOMPARE(settle(scaler, waiting), Cap);
    scaler.reset();
    QCOMPARE(scaler.target(), Cores);
    // And it can grow again afterwards.
    QVERIFY(scaler.update(waiting(Cores)) > Cores);
}

QTEST_GUILESS_MAIN(tst_AutoScaler)
#include "tst_autoscaler.moc"
