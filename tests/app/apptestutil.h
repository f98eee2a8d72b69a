// Helpers for the GUI tests: a folder of generated images and a ZIP of them.
#pragma once

#include "testimages.h"

#include <QDir>
#include <QString>

namespace apptest {

// ms: for what must happen (a batch finishing, a state arriving). QTRY_* returns as soon as the
// condition holds, so this only bounds how long a failing test takes; QTRY's default of 5 s is
// too short for a batch of images on a loaded machine under a sanitizer.
constexpr int Patience = 60000;
// ms: what a promised deadline (a shutdown's timeout plus the pool's 200 ms grace) may be
// exceeded by on a loaded machine, where the GUI thread itself waits for a core. Far below
// what a broken promise costs (waiting for work that never ends, or the 10 s default timeout).
constexpr int SchedulingSlack = 3000;

// QCOMPARE-friendly spelling of a state ("Finished").
inline QString str(sluice::BatchState state)
{
    return sluice::toString(state);
}

// `count` small JPEGs in `dir`/`name`; returns the folder.
inline QString makeImageFolder(const QString &dir, const QString &name, int count)
{
    const QString folder = QDir(dir).filePath(name);
    for (int i = 0; i < count; ++i)
        testimages::writeImage(QStringLiteral("%1/img%2.jpg").arg(folder).arg(i), QSize(64, 48),
                               "jpeg");
    return folder;
}

// A ZIP archive `dir`/`name` holding `count` small PNGs; returns its path.
inline QString makeImageZip(const QString &dir, const QString &name, int count)
{
    QList<testimages::ZipEntry> entries;
    for (int i = 0; i < count; ++i)
        entries.append({QStringLiteral("pic%1.png").arg(i),
                        testimages::encode(testimages::quadrants(QSize(40, 30)), "png")});
    const QString path = QDir(dir).filePath(name);
    return testimages::writeZip(path, entries) ? path : QString();
}

} // namespace apptest
