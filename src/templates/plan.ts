/** The example plan `cos init` writes as `.agent/plans/example.yaml.sample` (not read as a plan). */
export const EXAMPLE_PLAN = `# An example plan (cos plan --help). Copy it outside .agent/plans/, edit it, then:
#   cos plan check plans/results.yaml && cos plan apply plans/results.yaml --commit && cos ready
# The plan's name is the file's base name. At most 6 steps; depends_on names steps of this plan
# or sprints that exist already; no cycles; every role exists in .agent/roles/.
summary: Ship the results page
steps:
  - sprint: results-api
    title: Add the results API
    role: developer
    done_when: GET /results returns the stored results and its tests pass in CI
    depends_on: []
    skills: []
  - sprint: results-page
    title: Render the results page
    role: developer
    done_when: the page lists the results from the API; its browser test passes
    depends_on: [results-api]
    skills: []
  - sprint: results-review
    title: Review the results feature end to end
    role: qa-reviewer
    done_when: a reviewer ran the page against the API and found nothing missing
    depends_on: [results-api, results-page]
    skills: []
`;
