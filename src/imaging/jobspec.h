// What identifies a job (its inputs, output and shard) and what it takes to run it again (the
// recipe), as a journal stores it in its header; and the recipe's JSON form.
#pragma once

#include "recipe.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace sluice {

struct JobSpec
{
    QStringList inputs; // absolute paths, in the order given
    QString output;     // absolute: a folder, or a path ending in ".zip"
    Recipe recipe;
    int shardIndex = 0; // 0-based
    int shardCount = 1;
    bool includeRootName = true; // InputScanner::setIncludeRootName (the GUI's single input: no)
    bool includeHidden = false;  // InputScanner::setIncludeHidden (--hidden)
    QString name;                // for display

    bool outputIsZip() const;
    // The stable key of the job: a hash of the inputs, the output and the shard (not the
    // recipe: a resume with other settings is refused with a message instead of starting over
    // silently).
    QString id() const;
    QJsonObject toJson() const;
    static JobSpec fromJson(const QJsonObject &json);
};

QJsonObject recipeToJson(const Recipe &recipe);
Recipe recipeFromJson(const QJsonObject &json);

// Whether two recipes make the same outputs under the same names (what a resume must keep).
bool sameOutputs(const Recipe &a, const Recipe &b);
// A short description of what makes outputs differ, for the "other settings" message.
QString describeOutputs(const Recipe &recipe);

} // namespace sluice
