#pragma once
// The shapes GetTrigger, GetWorkflow and GetWorkflowRun answer, from the Workflows model:
// Trigger, Workflow (with LastRun), WorkflowRun (with Statistics) and WorkflowGraph.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-workflow.html

#include "emulator/services/glue/fields.h"
#include "emulator/services/glue/workflows.h"

namespace timeslip::services::glue {

// AWS's Trigger shape.
Json TriggerJson(const Trigger& trigger);

// AWS's WorkflowGraph: a TRIGGER node per trigger of the workflow and a JOB node per job they
// start or watch (by name), with an edge from each trigger to the jobs it starts and from each
// watched job to the trigger. With `run`, each job node's JobDetails lists the job runs of that
// workflow run, newest first.
Json GraphJson(const Workflows& model, const Workflow& workflow, const WorkflowRun* run);

// AWS's WorkflowRun shape; with `graph`, its Graph too.
Json WorkflowRunJson(const Workflows& model, const WorkflowRun& run, bool graph);

// AWS's Workflow shape, with LastRun when it ran; with `graph`, its Graph (and LastRun's) too.
Json WorkflowJson(const Workflows& model, const Workflow& workflow, bool graph);

}  // namespace timeslip::services::glue
