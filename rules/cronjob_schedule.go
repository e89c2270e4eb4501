package rules

import (
	"context"
	"strings"
	"time"
	_ "time/tzdata" // the API server knows every IANA zone; so must kubegate, whatever the machine has

	"github.com/robfig/cron/v3"

	"github.com/kubegate/kubegate/engine"
)

// cronJobSchedule reports CronJob schedules and time zones the API server
// rejects.
type cronJobSchedule struct{}

var cronJobScheduleMeta = engine.Meta{
	ID:    "cronjob-schedule",
	Title: "CronJob schedule and time zone are valid",
	Description: "The API server parses spec.schedule with the same cron library the CronJob controller uses " +
		"(robfig/cron, standard five fields or a descriptor such as @hourly) and rejects what it cannot " +
		"parse. A TZ= or CRON_TZ= prefix in the schedule is rejected too: the time zone belongs in " +
		"spec.timeZone, which must name a zone of the IANA database (not Local).",
	Remediation: "Write the schedule as five fields (minute hour day-of-month month day-of-week) or a " +
		"descriptor, and move any time zone to spec.timeZone, such as Europe/Berlin.",
	Severity: engine.Error,
	Kinds:    []string{"batch/CronJob"},
	Source:   "go",
	DocURL:   DocURL("cronjob-schedule"),
}

// Meta describes the rule.
func (cronJobSchedule) Meta() engine.Meta { return cronJobScheduleMeta }

// Check parses the schedule and loads the time zone.
func (cronJobSchedule) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	if s, ok := rawString(obj.Raw, "spec", "schedule"); ok {
		at := engine.NewPath("spec", "schedule")
		trimmed := strings.TrimSpace(s)
		switch {
		case strings.Contains(trimmed, "TZ"):
			out = append(out, engine.NewFinding(cronJobScheduleMeta, at,
				"schedule %q sets a time zone (TZ or CRON_TZ); the API server rejects it: use spec.timeZone", s))
		case trimmed == "":
			out = append(out, engine.NewFinding(cronJobScheduleMeta, at, "schedule is empty"))
		default:
			if _, err := cron.ParseStandard(s); err != nil {
				out = append(out, engine.NewFinding(cronJobScheduleMeta, at,
					"schedule %q is not a valid cron schedule: %v", s, err))
			}
		}
	}
	if tz, ok := rawString(obj.Raw, "spec", "timeZone"); ok {
		at := engine.NewPath("spec", "timeZone")
		if strings.EqualFold(tz, "Local") {
			out = append(out, engine.NewFinding(cronJobScheduleMeta, at,
				"timeZone Local is not allowed; name an IANA zone such as Europe/Berlin or Etc/UTC"))
		} else if _, err := time.LoadLocation(tz); err != nil || tz == "" || strings.Contains(tz, " ") {
			out = append(out, engine.NewFinding(cronJobScheduleMeta, at,
				"timeZone %q is not a zone of the IANA time zone database", tz))
		}
	}
	return out, nil
}
