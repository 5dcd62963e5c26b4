from triage.entry import main

main()
