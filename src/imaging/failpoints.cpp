#include "failpoints.h"

#include <QMutex>
#include <QMutexLocker>
#include <QStringList>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <vector>

namespace sluice {

namespace {

struct Rule
{
    QString point;
    FailAction action = FailAction::None;
    int percent = 100;
    int limit = -1; // fire at most this many times; -1: no limit
    int after = 0;  // matching hits let through first
    QString match;
    int hits = 0;  // matching hits seen
    int fires = 0; // times fired
};

struct State
{
    QMutex mutex;
    std::vector<Rule> rules; // guarded by mutex
    std::mt19937 random{1};  // guarded by mutex
    QString spec;            // guarded by mutex
};

State &state()
{
    static State s;
    return s;
}

std::atomic<bool> g_active{false};
std::once_flag g_environmentRead;

bool parseAction(const QString &text, FailAction *action)
{
    static const struct
    {
        const char *name;
        FailAction action;
    } names[] = {{"transient", FailAction::Transient},
                 {"permanent", FailAction::Permanent},
                 {"enospc", FailAction::DiskFull},
                 {"crash", FailAction::Crash}};
    for (const auto &n : names) {
        if (text == QLatin1String(n.name)) {
            *action = n.action;
            return true;
        }
    }
    return false;
}

bool parseRule(const QString &text, Rule *rule, QString *error)
{
    const int eq = text.indexOf(QLatin1Char('='));
    if (eq <= 0) {
        *error = QStringLiteral("\"%1\" is not point=action").arg(text);
        return false;
    }
    rule->point = text.left(eq).trimmed();
    static const QStringList points = {QStringLiteral("read"), QStringLiteral("decode"),
                                       QStringLiteral("write")};
    if (!points.contains(rule->point)) {
        *error = QStringLiteral("unknown failpoint \"%1\" (known: %2)")
                     .arg(rule->point, points.join(QStringLiteral(", ")));
        return false;
    }
    const QStringList parts = text.mid(eq + 1).split(QLatin1Char(':'));
    if (!parseAction(parts.first().trimmed(), &rule->action)) {
        *error = QStringLiteral("unknown action \"%1\" (known: transient, permanent, enospc, "
                                "crash)")
                     .arg(parts.first().trimmed());
        return false;
    }
    for (int i = 1; i < parts.size(); ++i) {
        const QString m = parts.at(i).trimmed();
        bool ok = true;
        if (m == QLatin1String("once")) {
            rule->limit = 1;
        } else if (m.endsWith(QLatin1Char('%'))) {
            rule->percent = m.chopped(1).toInt(&ok);
            ok = ok && rule->percent >= 0 && rule->percent <= 100;
        } else if (m.endsWith(QLatin1Char('x'))) {
            rule->limit = m.chopped(1).toInt(&ok);
            ok = ok && rule->limit >= 0;
        } else if (m.startsWith(QLatin1String("after="))) {
            rule->after = m.mid(6).toInt(&ok);
            ok = ok && rule->after >= 0;
        } else if (m.startsWith(QLatin1String("match="))) {
            rule->match = m.mid(6);
            ok = !rule->match.isEmpty();
        } else {
            ok = false;
        }
        if (!ok) {
            *error = QStringLiteral("bad modifier \"%1\" in \"%2\" (known: N%, once, Nx, "
                                    "after=N, match=TEXT)")
                         .arg(m, text);
            return false;
        }
    }
    return true;
}

void readEnvironmentOnce()
{
    std::call_once(g_environmentRead, [] { Failpoints::configureFromEnvironment(); });
}

} // namespace

bool Failpoints::configure(const QString &spec, QString *error)
{
    std::vector<Rule> rules;
    const QStringList items = spec.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &item : items) {
        if (item.trimmed().isEmpty())
            continue;
        Rule rule;
        QString why;
        if (!parseRule(item.trimmed(), &rule, &why)) {
            if (error)
                *error = why;
            return false;
        }
        rules.push_back(rule);
    }
    State &s = state();
    QMutexLocker lock(&s.mutex);
    s.rules = std::move(rules);
    s.spec = s.rules.empty() ? QString() : spec;
    bool seedOk = false;
    const uint seed = qEnvironmentVariable("SLUICE_FAILPOINTS_SEED").toUInt(&seedOk);
    s.random.seed(seedOk ? seed : 1u);
    g_active.store(!s.rules.empty(), std::memory_order_release);
    return true;
}

QString Failpoints::configureFromEnvironment()
{
    const QString spec = qEnvironmentVariable("SLUICE_FAILPOINTS");
    QString error;
    if (!spec.isEmpty() && !configure(spec, &error)) {
        std::fprintf(stderr, "sluice: ignoring SLUICE_FAILPOINTS: %s\n", qPrintable(error));
        return {};
    }
    if (!spec.isEmpty())
        std::fprintf(stderr, "sluice: failpoints on: %s\n", qPrintable(spec));
    State &s = state();
    QMutexLocker lock(&s.mutex);
    return s.spec;
}

FailAction Failpoints::hit(const char *point, const QString &subject)
{
    readEnvironmentOnce();
    if (!g_active.load(std::memory_order_acquire))
        return FailAction::None;
    FailAction action = FailAction::None;
    {
        State &s = state();
        QMutexLocker lock(&s.mutex);
        for (Rule &r : s.rules) {
            if (r.point != QLatin1String(point))
                continue;
            if (!r.match.isEmpty() && !subject.contains(r.match))
                continue;
            if (++r.hits <= r.after)
                continue;
            if (r.limit >= 0 && r.fires >= r.limit)
                continue;
            if (r.percent < 100 &&
                int(std::uniform_int_distribution<int>(0, 99)(s.random)) >= r.percent)
                continue;
            ++r.fires;
            action = r.action;
            break;
        }
    }
    if (action == FailAction::Crash) {
        std::fprintf(stderr, "sluice: failpoint %s: crashing on purpose (%s)\n", point,
                     qPrintable(subject));
        std::fflush(stderr);
        std::abort();
    }
    return action;
}

int Failpoints::fired(const char *point)
{
    State &s = state();
    QMutexLocker lock(&s.mutex);
    int n = 0;
    for (const Rule &r : s.rules) {
        if (r.point == QLatin1String(point))
            n += r.fires;
    }
    return n;
}

QString Failpoints::message(FailAction action, const char *point)
{
    const QString where = QStringLiteral(" (failpoint %1)").arg(QLatin1String(point));
    switch (action) {
    case FailAction::Transient:
        return QStringLiteral("injected transient I/O error") + where;
    case FailAction::Permanent:
        return QStringLiteral("injected permanent error") + where;
    case FailAction::DiskFull:
        return QStringLiteral("No space left on device") + where;
    case FailAction::Crash:
    case FailAction::None:
        break;
    }
    return {};
}

} // namespace sluice
