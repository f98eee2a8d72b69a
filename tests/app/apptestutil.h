// Helpers for the GUI tests: a folder of generated images and a ZIP of them.
#pragma once

#include "testimages.h"

#include <QDir>
#include <QString>

namespace apptest {

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
